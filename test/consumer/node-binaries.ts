import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The `node` binary of Node.js `major`: this process's when it runs on that line, or the one
 * `scripts/lib/install.sh` installed into `<root>/.tools/node<major>` (scripts/test.sh installs
 * 22 and 24). Throws, saying how to install it, when there is none: the consumer test never skips
 * a Node line silently.
 */
export function nodeBinary (root: string, major: number): string {
  if (process.versions.node.split('.')[0] === String(major)) return process.execPath
  const modules = join(root, '.tools', `node${major}`, 'node_modules')
  const packageDir = existsSync(modules) ? readdirSync(modules).find(name => name.startsWith('node-linux-')) : undefined
  const binary = packageDir === undefined ? undefined : join(modules, packageDir, 'bin', 'node')
  if (binary === undefined || !existsSync(binary)) {
    throw new Error(`No Node.js ${major} in ${modules}: run scripts/test.sh, or in bash: source scripts/lib/install.sh && install_node_release "$NODE_VERSION_${major}"`)
  }
  return binary
}
