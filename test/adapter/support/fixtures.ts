/** Fixture programs and the lines their `# @bp name` markers sit on. */
import * as fs from 'fs';
import * as path from 'path';

export const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** 1-based line of `# @bp <marker>` in a fixture; throws if the marker is missing or repeated. */
export function markerLine(file: string, marker: string): number {
  const lines = fs.readFileSync(path.isAbsolute(file) ? file : fixture(file), 'utf8').split('\n');
  const pattern = new RegExp(`#\\s*@bp\\s+${marker}\\b`);
  const hits = lines.flatMap((line, i) => (pattern.test(line) ? [i + 1] : []));
  if (hits.length !== 1) {
    throw new Error(`marker @bp ${marker} found ${hits.length} times in ${file}`);
  }
  return hits[0];
}
