// Whether two names are likely the same people's: normalised (case, accents, punctuation, word order), the
// words they share set aside (so a common word such as "household" does not make two names alike), and the
// rest compared by Levenshtein distance relative to the longer: "Jean Dupont" ~ "Dupont, Jean" ~ "Jean Dupond",
// "Rossi" ~ "Rossi household", but not "Bellando household" ~ "Cellario household".

const LIKELY = 0.8;

/** A name's words as compared: lower case, no accents or punctuation. */
export function nameWords(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
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

/** 1 for the same name (or one holding all of the other's words), 0 for nothing in common. */
export function nameSimilarity(a: string, b: string): number {
  const [wordsA, wordsB] = [nameWords(a), nameWords(b)];
  if (wordsA.length === 0 || wordsB.length === 0) return 0;
  const [x, y] = [wordsA.filter((w) => !wordsB.includes(w)), wordsB.filter((w) => !wordsA.includes(w))].map((words) => words.sort().join(' ')) as [string, string];
  if (x === '' || y === '') return 1;
  return 1 - levenshtein(x, y) / Math.max([...x].length, [...y].length);
}

export const similarNames = (a: string, b: string) => nameSimilarity(a, b) >= LIKELY;
