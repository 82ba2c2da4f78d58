/** The value after flag `name` in `argv` (`--rounds 3` gives "3"), or undefined when the flag is absent. */
export function flagValue (argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}
