// Whether two names are likely the same person's: normalised (case, accents, punctuation, word order) and
// compared by Levenshtein distance relative to the longer name, so "Jean Dupont" ~ "Dupont, Jean" ~ "Jean Dupond".

const LIKELY = 0.8;

/** A name as compared: lower case, no accents or punctuation, its words in order. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .sort()
    .join(' ');
}

/** Edit distance between two strings (by code point), in one row of memory. */
export function levenshtein(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    row = next;
  }
  return row[y.length]!;
}

/** 1 for the same name, 0 for nothing in common. */
export function nameSimilarity(a: string, b: string): number {
  const [x, y] = [nameKey(a), nameKey(b)];
  const longest = Math.max([...x].length, [...y].length);
  return longest === 0 ? 0 : 1 - levenshtein(x, y) / longest;
}

export const similarNames = (a: string, b: string) => nameSimilarity(a, b) >= LIKELY;
