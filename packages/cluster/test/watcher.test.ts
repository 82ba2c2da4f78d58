import { afterEach, describe, expect, it } from 'vitest'
import { createCluster } from '../src/index.js'
import type { AgreementChange, Cluster } from '../src/index.js'
import { FAST, memberIds, resources, startClusters, stopAll, waitForAgreement } from './support/clusters.js'
import { waitFor } from './support/wait-for.js'

/** Records the `group:agreement` events of a watcher. */
function recordAgreement (watcher: Cluster): AgreementChange[] {
  const seen: AgreementChange[] = []
  watcher.addEventListener('group:agreement', ({ detail }) => { seen.push(detail) })
  return seen
}

describe('a watcher on loopback TCP', () => {
  let clusters: Cluster[] = []
  afterEach(async () => { await stopAll(clusters); clusters = [] })

  it('tracks every group with its members, digests and agreement, and is never counted as a member', async () => {
    clusters = await startClusters(3, i => ({ groups: i === 2 ? ['alpha'] : ['alpha', 'beta'] }))
    const ids = clusters.map(cluster => cluster.id)
    const watcher = await createCluster({ ...FAST, watcher: true, bootstrap: clusters[0]!.multiaddrs })
    const agreement = recordAgreement(watcher)
    clusters.push(watcher)
    const members = clusters.slice(0, 3)
    await waitForAgreement(members, 'alpha', ids)
    await waitForAgreement(members.slice(0, 2), 'beta', ids.slice(0, 2))

    // the watcher sees both groups agree on the members' own digests
    await waitFor(() => watcher.snapshot('alpha').agreed && watcher.snapshot('beta').agreed && watcher.snapshot('beta').members.length === 2, { what: 'the watcher to see both groups agree' })
    expect(watcher.watcher).toBe(true)
    expect(watcher.knownGroups()).toEqual(['alpha', 'beta'])
    const alpha = watcher.snapshot('alpha')
    expect(alpha.digest).toBe(members[0]!.ring('alpha').digest)
    expect(alpha.members.map(member => member.id)).toEqual([...ids].sort())
    expect(alpha.members.every(member => member.advertised === alpha.digest && !member.self && member.state === 'alive')).toBe(true)
    expect(watcher.snapshot('beta').digest).toBe(members[0]!.ring('beta').digest)
    expect(agreement).toContainEqual({ group: 'alpha', digest: alpha.digest, agreed: true, members: 3 })

    // it owns nothing, joins nothing, and the members count it nowhere but in watchers()
    expect(watcher.groups()).toEqual([])
    expect(watcher.extractMySubset('alpha', resources(100))).toEqual([])
    await expect(watcher.joinGroup('alpha')).rejects.toMatchObject({ name: 'WatcherCannotJoinError', code: 'ERR_WATCHER_CANNOT_JOIN' })
    for (const member of members) {
      expect(memberIds(member, 'alpha')).not.toContain(watcher.id)
      expect(member.isConverged('alpha')).toBe(true)
    }
    await waitFor(() => members.every(member => member.watchers().join() === watcher.id), { what: 'every member to list the watcher' })

    // a member stops: the watcher sees the views disagree, then agree on the two that remain
    const before = agreement.length
    await members[2]!.stop()
    await waitFor(() => watcher.snapshot('alpha').agreed && watcher.snapshot('alpha').members.length === 2, { what: 'the watcher to see alpha agree on two members' })
    const after = agreement.slice(before).filter(change => change.group === 'alpha')
    expect(after.at(-1)).toEqual({ group: 'alpha', digest: members[0]!.ring('alpha').digest, agreed: true, members: 2 })
    expect(after.some(change => !change.agreed)).toBe(true)

    // the watcher says goodbye: the members forget it at once
    await watcher.stop()
    await waitFor(() => members.slice(0, 2).every(member => member.watchers().length === 0), { what: 'the members to forget the watcher' })
  })

  it('with watchGroups, exposes only the listed groups', async () => {
    clusters = await startClusters(2, () => ({ groups: ['alpha', 'beta'] }))
    const watcher = await createCluster({ ...FAST, watcher: true, watchGroups: ['beta'], bootstrap: clusters[0]!.multiaddrs })
    const agreement = recordAgreement(watcher)
    clusters.push(watcher)
    await waitFor(() => watcher.snapshot('beta').agreed && watcher.snapshot('beta').members.length === 2, { what: 'the watcher to see beta agree' })
    expect(watcher.knownGroups()).toEqual(['beta'])
    expect(agreement.every(change => change.group === 'beta')).toBe(true)
  })

  it('members keep a view of their own and watched groups only, and report no agreement events', async () => {
    clusters = await startClusters(3, i => i === 2 ? { groups: ['alpha'], watchGroups: ['beta'] } : { groups: [i === 0 ? 'alpha' : 'beta'] })
    const agreement = recordAgreement(clusters[2]!)
    await waitFor(() => clusters[2]!.knownGroups().join() === 'alpha,beta' && clusters[2]!.snapshot('beta').agreed, { what: 'the third member to see beta, which it watches' })
    await waitFor(() => clusters[0]!.members('alpha').length === 2, { what: 'the first member to see alpha' })
    expect(clusters[0]!.knownGroups()).toEqual(['alpha'])
    expect(clusters[0]!.members('beta')).toEqual([])
    expect(agreement).toEqual([])
  })
})
