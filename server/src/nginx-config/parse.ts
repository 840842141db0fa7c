// A reader for nginx's configuration syntax that splits text exactly as nginx 1.22 does
// (ngx_conf_read_token): words, quoted strings, `\` escapes, `#` comments at the start of a
// word, `${name}` inside a word, `;` and blocks. The safety check depends on seeing the same
// directives nginx will see, so where versions of nginx read a construct differently (a word
// that starts with `${`) the reader refuses it rather than guess.

export interface Token {
  /** The word as nginx reads it: quotes removed, escapes applied. */
  value: string;
  quoted: boolean;
  line: number;
  /** Offsets in the text, quotes included. */
  start: number;
  end: number;
}

export interface Statement {
  name: Token;
  args: Token[];
  /** The statements inside `{ }`, for a block. */
  block?: Statement[];
  line: number;
  start: number;
  /** Just past the `;` or the closing `}`. */
  end: number;
  /** The offset of the `{` that opens the block. */
  open?: number;
}

export interface SyntaxProblem {
  line: number;
  message: string;
}

export type ParseResult = { ok: true; statements: Statement[] } | { ok: false; error: SyntaxProblem };

/** Deeper than any sensible config; bounds the recursion. */
const MAX_DEPTH = 16;

type Ending = { kind: 'statement'; words: Token[]; at: number } | { kind: 'block-start'; words: Token[]; at: number } | { kind: 'block-done'; at: number } | { kind: 'file-done' };

class NginxSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const isSpace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';

/** The escapes nginx applies when it copies a word: \" \' \\ lose the backslash; \t \r \n become the character. */
function unescape(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\\') {
      const next = raw[i + 1];
      if (next === '"' || next === "'" || next === '\\') {
        out += next;
        i++;
        continue;
      }
      if (next === 't' || next === 'r' || next === 'n') {
        out += next === 't' ? '\t' : next === 'r' ? '\r' : '\n';
        i++;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

class Lexer {
  private pos = 0;
  line = 1;

  constructor(private readonly text: string) {}

  /** ngx_conf_read_token: the words up to the next `;`, `{` or `}`, or the end. */
  next(): Ending {
    const text = this.text;
    const words: Token[] = [];
    let needSpace = false;
    let lastSpace = true;
    let sharpComment = false;
    let quoted = false;
    let sQuoted = false;
    let dQuoted = false;
    let variable = false;
    let start = 0;
    let startLine = 1;
    let tokenStart = 0;
    for (;;) {
      if (this.pos >= text.length) {
        if (words.length > 0 || !lastSpace) throw new NginxSyntaxError(this.line, 'unexpected end of file, expecting ";" or "}"');
        return { kind: 'file-done' };
      }
      const ch = text[this.pos++]!;
      if (ch === '\n') {
        this.line++;
        sharpComment = false;
      }
      if (sharpComment) continue;
      if (quoted) {
        quoted = false;
        continue;
      }
      if (needSpace) {
        if (isSpace(ch)) {
          lastSpace = true;
          needSpace = false;
          continue;
        }
        if (ch === ';') return { kind: 'statement', words, at: this.pos };
        if (ch === '{') return { kind: 'block-start', words, at: this.pos - 1 };
        throw new NginxSyntaxError(this.line, `unexpected "${ch}"`);
      }
      if (lastSpace) {
        if (isSpace(ch)) continue;
        start = this.pos - 1;
        tokenStart = start;
        startLine = this.line;
        switch (ch) {
          case ';':
          case '{':
            if (words.length === 0) throw new NginxSyntaxError(this.line, `unexpected "${ch}"`);
            return ch === '{' ? { kind: 'block-start', words, at: this.pos - 1 } : { kind: 'statement', words, at: this.pos };
          case '}':
            if (words.length > 0) throw new NginxSyntaxError(this.line, 'unexpected "}"');
            return { kind: 'block-done', at: this.pos };
          case '#':
            sharpComment = true;
            continue;
          case '\\':
            quoted = true;
            lastSpace = false;
            continue;
          case '"':
            start++;
            dQuoted = true;
            lastSpace = false;
            continue;
          case "'":
            start++;
            sQuoted = true;
            lastSpace = false;
            continue;
          case '$':
            // nginx 1.22 ends such a word at the `{` and opens a block; later versions read `${name}`.
            if (text[this.pos] === '{') throw new NginxSyntaxError(this.line, 'a word that starts with "${" is read differently by nginx versions; write it in quotes: "${name}"');
            variable = true;
            lastSpace = false;
            continue;
          default:
            lastSpace = false;
            continue;
        }
      }
      if (ch === '{' && variable) continue;
      variable = false;
      if (ch === '\\') {
        quoted = true;
        continue;
      }
      if (ch === '$') {
        variable = true;
        continue;
      }
      let found = false;
      if (dQuoted) {
        if (ch === '"') {
          dQuoted = false;
          needSpace = true;
          found = true;
        }
      } else if (sQuoted) {
        if (ch === "'") {
          sQuoted = false;
          needSpace = true;
          found = true;
        }
      } else if (isSpace(ch) || ch === ';' || ch === '{') {
        lastSpace = true;
        found = true;
      }
      if (!found) continue;
      const wasQuoted = needSpace;
      words.push({ value: unescape(text.slice(start, this.pos - 1)), quoted: wasQuoted, line: startLine, start: tokenStart, end: wasQuoted ? this.pos : this.pos - 1 });
      if (ch === ';') return { kind: 'statement', words, at: this.pos };
      if (ch === '{') return { kind: 'block-start', words, at: this.pos - 1 };
    }
  }
}

/** The statements up to the end of the text (depth 0) or the `}` that closes the block, and just past where it ended. */
function parseBlock(lexer: Lexer, depth: number): { statements: Statement[]; end: number } {
  const statements: Statement[] = [];
  for (;;) {
    const ending = lexer.next();
    switch (ending.kind) {
      case 'file-done':
        if (depth > 0) throw new NginxSyntaxError(lexer.line, 'unexpected end of file, expecting "}"');
        return { statements, end: 0 };
      case 'block-done':
        if (depth === 0) throw new NginxSyntaxError(lexer.line, 'unexpected "}"');
        return { statements, end: ending.at };
      case 'statement': {
        const [name, ...args] = ending.words as [Token, ...Token[]];
        statements.push({ name, args, line: name.line, start: name.start, end: ending.at });
        break;
      }
      case 'block-start': {
        const [name, ...args] = ending.words as [Token, ...Token[]];
        if (depth + 1 > MAX_DEPTH) throw new NginxSyntaxError(name.line, `blocks nested deeper than ${MAX_DEPTH}`);
        const inner = parseBlock(lexer, depth + 1);
        statements.push({ name, args, block: inner.statements, line: name.line, start: name.start, end: inner.end, open: ending.at });
        break;
      }
    }
  }
}

/** The statements of a config text, or nginx's own words for what is wrong and the line. */
export function parseNginxConfig(text: string): ParseResult {
  const lexer = new Lexer(text);
  try {
    return { ok: true, statements: parseBlock(lexer, 0).statements };
  } catch (error) {
    if (error instanceof NginxSyntaxError) return { ok: false, error: { line: error.line, message: error.message } };
    throw error;
  }
}

/** Every statement, depth first, with the chain of blocks around it (outermost first). */
export function* walk(statements: readonly Statement[], parents: readonly Statement[] = []): Generator<{ statement: Statement; parents: readonly Statement[] }> {
  for (const statement of statements) {
    yield { statement, parents };
    if (statement.block) yield* walk(statement.block, [...parents, statement]);
  }
}
