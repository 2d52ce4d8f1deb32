/**
 * Removes personal data that pages leak into URLs and properties: email addresses and
 * token-shaped strings (JWTs, UUIDs, long hex, long mixed-case alphanumerics such as API keys or
 * reset tokens). Slugs like `how-to-ship-2024` stay: they are lowercase words.
 */
const EMAIL = /[\w.%+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}/gi;
const JWT = /eyJ[\w-]{4,}\.[\w-]{4,}(?:\.[\w-]*)?/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const HEX = /(?<![\w-])[0-9a-f]{32,}(?![\w-])/gi;
const MIXED = /(?<![\w-])(?=[\w-]*[a-z])(?=[\w-]*[A-Z])(?=[\w-]*\d)[\w-]{20,}(?![\w-])/g;
const SUSPECT = /[@%]|\d/;

export const EMAIL_MARK = "[email]";
export const TOKEN_MARK = "[token]";

/** True when the text holds an email address. */
export function looksLikeEmail(text: string): boolean {
  EMAIL.lastIndex = 0;
  return EMAIL.test(text);
}

/** The text with emails and tokens replaced by `[email]` and `[token]`. */
export function scrubText(text: string): string {
  // Every pattern needs a digit, `@` or `%`: most strings skip the regexes entirely.
  if (!SUSPECT.test(text)) return text;
  return text
    .replace(EMAIL, EMAIL_MARK)
    .replace(JWT, TOKEN_MARK)
    .replace(UUID, TOKEN_MARK)
    .replace(HEX, TOKEN_MARK)
    .replace(MIXED, TOKEN_MARK);
}
