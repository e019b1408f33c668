import { SaxesParser } from 'saxes';
import { damagedWorkbook } from '../refusal';

/** What a reader of one workbook part does with its elements (names without their namespace prefix). */
export interface XmlHandlers {
  open(name: string, attributes: Record<string, string>): void;
  close(name: string): void;
  text(text: string): void;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** An attribute by its name without prefix (`r:id` is found as `id`, whatever prefix the file uses). */
export function attribute(attributes: Record<string, string>, name: string): string | undefined {
  const value = attributes[name];
  if (value !== undefined) return value;
  for (const key in attributes) if (localName(key) === name) return attributes[key];
  return undefined;
}

/**
 * Parses a part as its chunks arrive, yielding after each chunk so the caller can hand on what that chunk
 * completed before more is unpacked. A part with a document type declaration is refused: no workbook part
 * has one, and entities declared there are how XML expands a few bytes into gigabytes.
 */
export async function* parseXml(
  chunks: AsyncIterable<Buffer>,
  handlers: XmlHandlers,
  part: string,
): AsyncGenerator<void> {
  const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
  const refuse = (why: string) => {
    throw damagedWorkbook(`${part}: ${why}`);
  };
  parser.on('error', (err) => refuse(err.message));
  parser.on('doctype', () => refuse('a document type declaration'));
  parser.on('opentag', (node) => handlers.open(localName(node.name), node.attributes));
  parser.on('closetag', (node) => handlers.close(localName(node.name)));
  parser.on('text', (text) => handlers.text(text));
  parser.on('cdata', (text) => handlers.text(text));
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    parser.write(decoder.decode(chunk, { stream: true }));
    yield;
  }
  parser.write(decoder.decode());
  parser.close();
  yield;
}

/** Parses a whole part (one that describes the workbook, and is small and bounded). */
export async function readXml(
  chunks: AsyncIterable<Buffer>,
  handlers: XmlHandlers,
  part: string,
): Promise<void> {
  for await (const _ of parseXml(chunks, handlers, part));
}
