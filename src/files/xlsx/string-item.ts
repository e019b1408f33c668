import { FileRefused, counted, type FilePosition } from '../refusal';
import { unescapeText } from './cells';

/**
 * Collects the text of a string: a shared string (<si>) or an inline one (<is>), plain or in rich-text runs
 * (<r><t>…</t></r>), leaving out phonetic guides (<rPh>), which Excel shows above the text, not in it.
 */
export class StringItem {
  private value = '';
  private inText = false;
  private phonetic = 0;

  constructor(
    private readonly maxCharacters: number,
    private readonly where: () => string,
    private readonly position: () => FilePosition = () => ({}),
  ) {}

  /** The refusal of a cell whose text is past the limit (here or in its <v>). */
  tooLong(): FileRefused {
    return new FileRefused(
      `${this.where()} holds more than ${counted(this.maxCharacters)} characters, the most a cell may hold`,
      this.position(),
    );
  }

  open(name: string): void {
    if (name === 'rPh') this.phonetic++;
    else if (name === 't' && this.phonetic === 0) this.inText = true;
  }

  close(name: string): void {
    if (name === 'rPh') this.phonetic--;
    else if (name === 't') this.inText = false;
  }

  text(text: string): void {
    if (!this.inText) return;
    this.value += text;
    if (this.value.length > this.maxCharacters) throw this.tooLong();
  }

  /** The text collected, and a fresh start for the next string. */
  take(): string {
    const value = unescapeText(this.value);
    this.value = '';
    this.inText = false;
    this.phonetic = 0;
    return value;
  }
}
