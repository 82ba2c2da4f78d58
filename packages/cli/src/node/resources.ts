/** The names of the synthetic resources an agent splits with its peers: `resource_0` .. `resource_<n-1>`. */
export function syntheticResources (count: number): string[] {
  return Array.from({ length: count }, (_, i) => `resource_${i}`)
}
