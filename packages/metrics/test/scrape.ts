import type { Registry } from 'prom-client'

/** Prometheus text as a map from `name{labels}` (labels as printed) to value; comments skipped. */
export function parseExposition (text: string): Map<string, number> {
  const samples = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const cut = line.lastIndexOf(' ')
    samples.set(line.slice(0, cut), Number(line.slice(cut + 1)))
  }
  return samples
}

/** Scrapes `registry` as Prometheus would and parses the text. */
export async function scrape (registry: Registry): Promise<Map<string, number>> {
  return parseExposition(await registry.metrics())
}

/** Scrapes until `accept` holds for the samples (a deadline, never a fixed sleep); returns them. */
export async function scrapeUntil (registry: Registry, accept: (samples: Map<string, number>) => boolean, what: string, timeoutMs = 15_000): Promise<Map<string, number>> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const samples = await scrape(registry)
    if (accept(samples)) return samples
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}; last scrape:\n${[...samples].map(([k, v]) => `${k} ${v}`).join('\n')}`)
    await new Promise(resolve => setTimeout(resolve, 25))
  }
}
