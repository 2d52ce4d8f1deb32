import { type Match, ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

export const MIN_PASSWORD_LENGTH = 12;
/** zxcvbn's score: 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
export const MIN_SCORE = 3;
/** zxcvbn's work grows with the length; a password longer than this is judged on its start. */
const CHECKED_LENGTH = 128;

let estimator: ZxcvbnFactory | null = null;

/** Built on first use: the dictionaries take ~200 ms and some MB to load. */
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
    maxLength: CHECKED_LENGTH,
  });
  return estimator;
}

/** Why a weak password's most telling part is weak, in words a person can act on. */
function reason(matches: readonly Match[]): string {
  // The longest pattern that is not plain brute force explains most of the score.
  const telling = [...matches]
    .filter((m) => m.pattern !== "bruteforce" && m.pattern !== "separator")
    .sort((a, b) => b.token.length - a.token.length)[0];
  switch (telling?.pattern) {
    case "repeat":
      return 'it repeats characters or a pattern (like "aaa" or "abcabc")';
    case "sequence":
      return 'it is a sequence (like "abcd" or "1234")';
    case "spatial":
      return 'it is a keyboard pattern (like "qwerty" or "zxcvbn")';
    case "date":
      return "it is or contains a date";
    case "regex":
      return "it contains a recent year";
    case "dictionary": {
      const name = (telling as Match & { dictionaryName?: string }).dictionaryName ?? "";
      if (name === "userInputs") return "it contains your email address or the product's name";
      if (name.startsWith("passwords")) return "it is a common password";
      return "it is made of common words or names";
    }
    default:
      return "it is too short for the characters it uses";
  }
}

/**
 * Null when `password` may be used, otherwise why not (a sentence to show). At least
 * MIN_PASSWORD_LENGTH characters, and zxcvbn's guess estimate (common passwords, words, names,
 * keyboard patterns, repeats, sequences, dates, the user's own email) must score MIN_SCORE.
 */
export function passwordProblem(
  password: string,
  userInputs: readonly string[] = [],
): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return `must be at least ${MIN_PASSWORD_LENGTH} characters long (it has ${length})`;
  }
  const inputs = ["sightline", ...userInputs.flatMap((u) => [u, ...u.split(/[@.+_-]/)])].filter(
    (u) => u.length >= 3,
  );
  const result = zxcvbn().check(password, inputs);
  if (result.score >= MIN_SCORE) return null;
  return `is too easy to guess: ${reason(result.sequence)}. A few unrelated words make a strong password`;
}
