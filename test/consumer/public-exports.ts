import ts from 'typescript'

/**
 * For each `@gossip-ring/*` package: the names it exports (as the installed `.d.ts` says, values
 * and types) that `file` does not import. Empty lists mean the file covers every public export.
 */
export function exportsNotImported (tsconfigPath: string, file: string): Record<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')) } })
  if (config === undefined) throw new Error(`cannot read ${tsconfigPath}`)
  const program = ts.createProgram({ rootNames: [file], options: config.options })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(file)
  if (source === undefined) throw new Error(`cannot load ${file}`)
  const imported = new Map<string, Set<string>>()
  const exported = new Map<string, string[]>()
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue
    const specifier = statement.moduleSpecifier.text
    if (!specifier.startsWith('@gossip-ring/')) continue
    const names = imported.get(specifier) ?? new Set<string>()
    const bindings = statement.importClause?.namedBindings
    if (bindings !== undefined && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) names.add((element.propertyName ?? element.name).text)
    }
    imported.set(specifier, names)
    const moduleSymbol = checker.getSymbolAtLocation(statement.moduleSpecifier)
    if (moduleSymbol === undefined) throw new Error(`${specifier} does not resolve from ${file}`)
    exported.set(specifier, checker.getExportsOfModule(moduleSymbol).map(symbol => symbol.name))
  }
  return Object.fromEntries([...exported].map(([specifier, names]) => [specifier, names.filter(name => !imported.get(specifier)?.has(name)).sort()]))
}
