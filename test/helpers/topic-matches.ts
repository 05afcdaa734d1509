/**
 * MQTT topic-filter matching (`+` one level, `#` the rest) written the plain way, splitting both
 * strings: the reference the tests hold the contract's allocation-free `topicMatcher` to.
 */
export function topicMatches(filterText: string, name: string): boolean {
  const f = filterText.split('/');
  const t = name.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}
