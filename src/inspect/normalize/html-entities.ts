/**
 * Named HTML character references worth decoding: the ones that spell characters with
 * meaning to paths, shells, SQL and URLs, plus the invisible ones. Not the full HTML5 table
 * (2 000+ names, mostly letters and math symbols that hide nothing).
 */
export const NAMED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['lt', '<'], ['gt', '>'], ['amp', '&'], ['quot', '"'], ['apos', "'"],
  ['nbsp', '\u00a0'], ['shy', '\u00ad'], ['zwj', '\u200d'], ['zwnj', '\u200c'],
  ['lrm', '\u200e'], ['rlm', '\u200f'], ['nobreak', '\u2060'],
  ['tab', '\t'], ['newline', '\n'],
  ['excl', '!'], ['num', '#'], ['dollar', '$'], ['percnt', '%'], ['lpar', '('], ['rpar', ')'],
  ['ast', '*'], ['midast', '*'], ['plus', '+'], ['comma', ','], ['period', '.'], ['sol', '/'],
  ['colon', ':'], ['semi', ';'], ['equals', '='], ['quest', '?'], ['commat', '@'],
  ['lsqb', '['], ['lbrack', '['], ['bsol', '\\'], ['rsqb', ']'], ['rbrack', ']'],
  ['hat', '^'], ['lowbar', '_'], ['underbar', '_'], ['grave', '`'], ['diacriticalgrave', '`'],
  ['lcub', '{'], ['lbrace', '{'], ['verbar', '|'], ['vert', '|'], ['verticalline', '|'],
  ['rcub', '}'], ['rbrace', '}'], ['tilde', '\u02dc'], ['hyphen', '\u2010'], ['dash', '\u2010'],
  ['lsquo', '\u2018'], ['rsquo', '\u2019'], ['ldquo', '\u201c'], ['rdquo', '\u201d'],
  ['copy', '\u00a9'], ['reg', '\u00ae'], ['trade', '\u2122'], ['hellip', '\u2026'],
  ['ndash', '\u2013'], ['mdash', '\u2014'], ['middot', '\u00b7'], ['bull', '\u2022'],
]);

/** Names browsers also accept without the closing `;` (the legacy ones that matter here). */
export const SEMICOLON_OPTIONAL: ReadonlySet<string> = new Set(['lt', 'gt', 'amp', 'quot', 'nbsp']);
