/**
 * Characters a terminal acts on instead of showing: C0 controls but newline and tab (ESC starts
 * sequences that retitle or clear the terminal), DEL, C1 controls (0x9b is a one-byte CSI), and
 * the Unicode line separators and direction overrides that make text read differently than it is.
 */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from files or from the engine made safe to print: each control character is shown as an
 * escape (`\x1b`, `\u202e`), so a value can neither drive the terminal nor hide what it is.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
