// A fault test starts clusters and server processes and loads them for a minute or more on a small machine.
jest.setTimeout(180_000);
