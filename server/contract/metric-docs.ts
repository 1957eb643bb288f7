/**
 * Extracts metric definitions from docs/metrics.md, so the dashboard's info popovers show exactly
 * the written definition. A definition is the first paragraph after a heading that ends with the
 * metric key in backticks, e.g. "### Meeting hours · `meeting_hours`".
 */
export function parseMetricDefinitions(markdown: string): Record<string, string> {
  const definitions: Record<string, string> = {};
  const lines = markdown.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const heading = /^#{2,4} .*`([a-z0-9_]+)`\s*$/.exec(lines[index] ?? '');
    if (!heading?.[1]) continue;
    const paragraph: string[] = [];
    let cursor = index + 1;
    while (cursor < lines.length && (lines[cursor] ?? '').trim() === '') cursor++;
    while (
      cursor < lines.length &&
      (lines[cursor] ?? '').trim() !== '' &&
      !(lines[cursor] ?? '').startsWith('#')
    ) {
      paragraph.push((lines[cursor] ?? '').trim());
      cursor++;
    }
    definitions[heading[1]] = paragraph.join(' ');
  }
  return definitions;
}
