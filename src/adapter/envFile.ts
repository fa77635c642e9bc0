/**
 * Reads `envFile` in the dotenv dialect debugpy users already have: `KEY=VALUE`, optional
 * `export ` prefix, single quotes (literal), double quotes (escapes), `#` comments and `${VAR}`
 * expansion from earlier lines or the base environment.
 */
import * as fs from 'fs';

export type Env = Record<string, string>;

export function parseEnvFile(text: string, base: Env = {}): Env {
  const result: Env = {};
  const lookup = (name: string): string => result[name] ?? base[name] ?? '';
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(lines[i]);
    if (!match) {
      continue;
    }
    const [, key] = match;
    let raw = match[2];
    const quote = raw[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may span lines until its closing quote.
      let closing = findClosingQuote(raw, quote);
      while (closing === -1 && i + 1 < lines.length) {
        raw += '\n' + lines[++i];
        closing = findClosingQuote(raw, quote);
      }
      const body = closing === -1 ? raw.slice(1) : raw.slice(1, closing);
      result[key] = quote === "'" ? body : expand(unescapeDouble(body), lookup);
    } else {
      const value = raw.replace(/(^|\s)#.*$/, '').trim();
      result[key] = expand(value, lookup);
    }
  }
  return result;
}

export function readEnvFile(path: string, base: Env): Env {
  return parseEnvFile(fs.readFileSync(path, 'utf8'), base);
}

function findClosingQuote(text: string, quote: string): number {
  for (let i = 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') {
      i++;
    } else if (text[i] === quote) {
      return i;
    }
  }
  return -1;
}

function unescapeDouble(text: string): string {
  return text.replace(/\\([nrt"\\$])/g, (_m, c: string) => {
    switch (c) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '$':
        // Keep a marker so expand() leaves an escaped `\${X}` alone.
        return '\u0000$';
      default:
        return c;
    }
  });
}

function expand(value: string, lookup: (name: string) => string): string {
  return value
    .replace(/(\u0000)?\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, escaped, name: string, fallback) =>
      escaped ? whole.slice(1) : lookup(name) || (fallback ?? ''),
    )
    .replace(/\u0000/g, '');
}
