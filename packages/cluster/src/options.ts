import { multiaddr } from '@multiformats/multiaddr'
import { DEFAULT_MAX_CLOCK_SKEW_MS, DEFAULT_MAX_MEMBERS_PER_GROUP, requirePositiveInteger, resolveTimings } from '@gossip-ring/membership'
import type { ComponentLogger, ConnectionGater, Libp2p, PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { autoIntervalRule, DEFAULT_AUTO_HEARTBEATS_PER_SECOND } from './auto-interval.js'
import type { AutoIntervalRule } from './auto-interval.js'
import { InvalidOptionError } from './errors.js'
import { parseNetworkKey } from './network-key.js'
import type { PlainLogger } from './logging/logger.js'
import { CLUSTER_INIT_KEYS, GROUP_INIT_KEYS, requireKnownKeys } from './option-keys.js'
import { encodeHeartbeat } from './wire/codec.js'
import { groupListProblem } from './wire/limits.js'
import type { WatchGroups } from './watch.js'
import { resolveOwnershipPolicy } from './ownership/policy.js'
import type { OwnershipInit } from './ownership/policy.js'
import { LARGEST_OWNING_ADVERT } from './ownership/group-ownership.js'

/**
 * A group to join at start: its name, or the name with this member's settings in it, and the
 * group's ownership options (safe handoff, partition policy, settling: see `OwnershipInit`).
 */
export type GroupInit = string | ({
  /** The group's name. */
  name: string
  /** This member's relative share of the group's keys: finite, > 0. @default 1 */
  weight?: number
  /** String pairs the other members see in `members()` (e.g. a zone). @default {} */
  metadata?: Record<string, string>
  /**
   * The group counts as converged only while at least this many live members, self included, are
   * seen; set it to the number of agents you expect. @default 1
   */
  minMembers?: number
} & OwnershipInit)

/** mDNS tuning. */
export interface MdnsInit {
  /**
   * How often to send an mDNS query. Shorter finds new agents sooner at more multicast traffic
   * (a new agent queries at start anyway, so this mostly matters after packet loss).
   *
   * @default 2000
   */
  intervalMs?: number
}

/** The transport the node listens and dials on. */
export type TransportKind = 'tcp' | 'memory'

/**
 * When a node forwards the heartbeats it receives to its gossipsub mesh: `'on-demand'` only those
 * of authors some member says it does not hear directly, and everything while our view is not
 * settled; `'always'` every heartbeat (gossipsub's own behaviour).
 */
export type RelayMode = 'on-demand' | 'always'

/** What the user tunes. Times are milliseconds of this process's monotonic clock. See `presets`. */
export interface ClusterInit {
  /** Groups to join at start; weights are in (0, 1000]. @default [] */
  groups?: GroupInit[]
  /**
   * Run as a watcher (an observer, as `gossip-ring watch` does): join no group, own nothing, never be
   * counted as a member (peers list us in `watchers()`, not in any ring), and expose every group we
   * track through `knownGroups()`, `snapshot()` and `group:agreement` events. It costs what a member
   * costs: we receive every heartbeat of the namespace. A watcher may not have `groups` or `joinGroup()`.
   *
   * @default false
   */
  watcher?: boolean
  /**
   * Groups to keep a view of besides those we joined: `'*'` for every group heard of, or a list of
   * names (what `knownGroups()`, `members()`, `snapshot()` and `group:agreement` cover). Every
   * tracked group costs memory and CPU per heartbeat, and a stranger's groups are not ours to hold.
   *
   * @default [] for a member (only its own groups), '*' for a watcher
   */
  watchGroups?: WatchGroups
  /**
   * The cluster name; agents only hear heartbeats of their namespace, so two clusters can share a
   * LAN. Letters, digits, `.`, `_`, `-`; 1 to 64 characters.
   *
   * @default 'default'
   */
  namespace?: string
  /** Multiaddrs to listen on. @default ['/ip4/0.0.0.0/tcp/0'] (['/ip4/127.0.0.1/tcp/0'] when `local`, a fresh `/memory/<uuid>` for the memory transport) */
  listen?: string[]
  /** Multiaddrs with `/p2p/<id>` to dial at start, for networks where multicast does not reach; our own id is skipped. @default [] */
  bootstrap?: string[]
  /** Discover agents on the LAN by mDNS; `{ intervalMs }` tunes it. Never enable it in tests on a shared host network. @default true */
  mdns?: boolean | MdnsInit
  /**
   * Many nodes on one host (tests, demos): no gossipsub IP-colocation penalty and no inbound
   * connection rate limit for loopback; listens on 127.0.0.1 by default.
   *
   * @default false
   */
  local?: boolean
  /**
   * How often to heartbeat, in ms (at least 10), or `'auto'`. Shorter detects failures sooner at
   * more traffic: every agent receives one heartbeat per interval from every other, so its CPU
   * grows with the fleet. The timings below that default to multiples of it follow it.
   *
   * `'auto'`: 1000 ms while the agents we hear across our groups (self included) send us at most
   * `autoHeartbeatsPerSecond` heartbeats a second, doubling (2, 4, 8, at most 16 s) as the fleet
   * grows past that, and halving again once the shorter interval would use at most 3/4 of the
   * budget (hysteresis). `suspectAfterMs` and `memberTimeoutMs` keep their ratios to the interval
   * (3 and 5 intervals by default; given values count as ratios to 1000 ms). The trade-off is
   * detection time: a crash is seen after `memberTimeoutMs`, so 5 s at 1 s, 20 s at 4 s (about
   * 66-129 agents with the default budget), 80 s at 16 s. Each heartbeat carries its sender's
   * interval and receivers judge each member by it, so agents with different intervals (auto or
   * not) coexist without false timeouts; agents of older versions that do not read it judge an
   * auto agent by their own timeout, so upgrade every agent before turning 'auto' on. See
   * `cluster.heartbeatIntervalMs` for the interval in use.
   *
   * @default 1000
   */
  heartbeatIntervalMs?: number | 'auto'
  /**
   * With `heartbeatIntervalMs: 'auto'` only: the most heartbeats a second this agent should receive
   * (the interval doubles until the agents it hears send at most this many). Lower costs less CPU
   * per agent (each delivered heartbeat costs about 0.3-0.75 ms of CPU here, see the README) at the
   * price of slower crash detection in larger fleets; 32 keeps a 33-agent fleet at 1 s and puts 100
   * agents on 4 s. A finite number > 0.
   *
   * @default 32
   */
  autoHeartbeatsPerSecond?: number
  /** Silence after which a member is suspected (event only; it keeps its share). @default 3 * heartbeatIntervalMs */
  suspectAfterMs?: number
  /** Silence after which a member is dropped and its share re-split. Shorter re-splits sooner after a crash but drops members on a lossy network. @default 5 * heartbeatIntervalMs */
  memberTimeoutMs?: number
  /** A member dropped by timeout that comes back within this time is re-added only after being heard this long; 0 turns it off. @default 0 */
  flapDampingMs?: number
  /** Awareness of our own slowness: when our expiry timer fires late (a blocked event loop), defer that pass one turn and extend the deadlines of others by the recent lateness (at most memberTimeoutMs), so a slow agent does not drop healthy peers; a crash may then be detected up to memberTimeoutMs later. @default true */
  awareness?: boolean
  /** Most live members per group, self included; heartbeats of further new members are not admitted to it (counted in `stats.membership.overCapacity`). Bounds what fake members can do to a ring; set it above your fleet size. @default 256 */
  maxMembersPerGroup?: number
  /**
   * Most distinct signers one connected peer may relay heartbeats of per minute; the
   * heartbeats of further signers are refused (counted in `stats.dropped['too-many-signers']`) and
   * count against that peer's gossipsub score. An agent forwards the heartbeats of at most half
   * as many signers per minute (so that no receiver refuses it, however their minutes line up); a
   * relaying peer carries about one signer per agent, so keep it above twice your fleet size, the
   * same on every agent.
   *
   * @default 512
   */
  maxSignersPerPeer?: number
  /**
   * How far the wall-clock timestamp of a heartbeat may be from ours when we have no record of its
   * sender (never seen, or departed): older (or newer) ones are dropped, so a captured heartbeat
   * cannot be replayed to an agent that starts later, past this window. Generous because member
   * clocks need only agree this well (NTP keeps LAN clocks within milliseconds); an agent whose
   * clock is further off cannot join (`stats.membership.skewed` counts its heartbeats).
   *
   * @default 60000
   */
  maxClockSkewMs?: number
  /** Random spread of each heartbeat interval, as a fraction (0.1 = ±10%), so agents started together do not publish in lockstep; 0 to 0.5. @default 0.1 */
  heartbeatJitter?: number
  /** How long the larger peer id waits before dialling a discovered peer itself (the smaller one dials at once): avoids duplicate connections but still connects when only one side discovered the other. @default 2 * heartbeatIntervalMs */
  dialGraceMs?: number
  /** How often the reconnect loop looks for known peers that are disconnected. @default heartbeatIntervalMs */
  reconnectIntervalMs?: number
  /**
   * Gossipsub mesh degree: how many peers each node forwards every heartbeat it receives to (on top
   * of each author flood-publishing to all its peers, and IHAVE/IWANT gossip repairing gaps). Lower
   * costs less CPU per delivered heartbeat; higher tolerates more cut links and loss. 1 to 12.
   * Measured at 20 nodes (`pnpm bench:cost`, ratios to degree 4 with 4 gossip peers): degree 2
   * costs 0.75-0.91x, degree 1 with 2 gossip peers 0.68-0.76x. With degree 1 every heartbeat still
   * reached every node within one interval across cut links (`test/robust-delivery.test.ts`).
   *
   * @default 1
   */
  meshDegree?: number
  /**
   * Peers each node sends IHAVE gossip to per gossipsub heartbeat (every 250 ms): the ids of the
   * heartbeats it saw recently, so a peer that missed one (a cut link, a lost frame) asks for it
   * with IWANT. A fixed count, not a share of the peers: each IHAVE is a frame that every receiver
   * decrypts and decodes, and gossipsub's default (4 peers, or a quarter of them) cost 0.88x in CPU
   * per delivered heartbeat at 20 nodes. More repairs gaps sooner at more CPU; 0 turns gossip off
   * (the mesh alone relays). 0 to 16.
   *
   * @default 2
   */
  gossipPeers?: number
  /**
   * Which received heartbeats this node forwards to its gossipsub mesh (and offers in IHAVE gossip).
   * `'on-demand'`: every member lists in its heartbeats the members it has not heard straight from
   * their author for 1.5 intervals (or has no connection to), and only their heartbeats are
   * forwarded, plus every heartbeat while our view of a joined group is not converged. In a fully
   * connected fleet each heartbeat then crosses the wire once. `'always'`: every heartbeat is
   * forwarded, as gossipsub does by default: more copies and CPU, but a link that silently loses
   * frames is masked at once instead of after about 1.5-2.5 intervals.
   *
   * @default 'on-demand'
   */
  relay?: RelayMode
  /**
   * How many of the agents it knows each agent dials itself, or `'all'`. With a number k, each agent
   * dials the k agents closest to it on a rendezvous ring of the agents it knows (a random pick that
   * every agent computes alike, by a score symmetric in the pair, so most picks are mutual), plus
   * its bootstrap peers, and keeps every connection others open to it: the fleet becomes a random
   * graph in which every agent has at least k neighbours and about 1.25k on average (3.7-3.9 for
   * k = 3; independent picks gave about 2k), and heartbeats reach the others through gossipsub's
   * forwarding (with `relay: 'on-demand'` every agent asks for the members it does not hear
   * directly). Fewer connections to set up at start and after a heal (each costs about 10 ms of
   * CPU, `pnpm bench:connections`), at the price of relayed copies (each signature-checked) and
   * one more hop of latency. `'all'`: every agent connects to every other (each heartbeat crosses
   * the wire once). 3 to 64.
   *
   * @default 'all'
   */
  peerSetSize?: number | 'all'
  /** Longest wait between redials of one unreachable peer (exponential backoff from reconnectIntervalMs). Shorter heals partitions sooner at more failed dials. @default memberTimeoutMs */
  reconnectMaxBackoffMs?: number
  /**
   * Stop redialling a peer (and drop it from the peer store) once it has been unreachable this long;
   * peers that said goodbye are dropped at once, bootstrap peers never. Longer rides out longer
   * partitions without mDNS or a bootstrap link at the cost of failed dials to departed agents; a
   * pruned peer found again by mDNS, or heard through another agent, is dialled anew.
   *
   * @default 120000
   */
  redialGiveUpMs?: number
  /** File holding this node's private key (protobuf); created with mode 0600 if missing, so a restarted agent keeps its id. @default none: a new id each start */
  identityFile?: string
  /**
   * Bring your own libp2p node: it must have identify, and gossipsub as `services.pubsub` configured
   * as the cluster's own node has it (`globalSignaturePolicy: StrictNoSign`, `asyncValidation: true` and `...heartbeatMessageIds`).
   * Give its key as `privateKey`. The cluster never stops a node it did not create.
   */
  libp2p?: Libp2p
  /**
   * The private key of `libp2p.peerId` (Ed25519), required with `libp2p` and only with it: the
   * cluster signs its heartbeats with it, and libp2p does not hand its key out.
   *
   * @default none
   */
  privateKey?: PrivateKey
  /**
   * A private cluster: the bytes of a libp2p PSK v1 key file (`generateNetworkKey()` makes one).
   * Every connection is then encrypted with this pre-shared key before anything else is said, so a
   * host without the same key cannot connect, see heartbeats or send them. Costs one XSalsa20 pass
   * per byte. Not combinable with `libp2p` (configure `connectionProtector` on your node instead).
   *
   * @default none: anyone who can reach the node can join
   */
  networkKey?: Uint8Array
  /**
   * An allow-list of peer ids (our own is implied). Heartbeats signed by any other id are dropped
   * and counted (`stats.dropped['not-allowed']`), and connections with other peers are refused
   * (connection gater, composed with `connectionGater`; with your own `libp2p` only the heartbeat
   * check applies). Membership changes then need a config change on every agent.
   *
   * An empty list is an `InvalidOptionError` (it would refuse every peer).
   *
   * @default none: any peer that can connect (and holds the `networkKey`, if set) may join
   */
  allowedPeers?: string[]
  /** Passed to libp2p (e.g. to simulate partitions in tests). Ignored with `libp2p`. */
  connectionGater?: ConnectionGater
  /** Transport of the node the cluster creates: real TCP, or `@libp2p/memory` (in-process tests). @default 'tcp' */
  transport?: TransportKind
  /**
   * Where log lines go. A plain `{ debug, info, warn, error }` logger (`console`, pino, winston)
   * gets this library's lines only, formatted; libp2p's internals stay behind `DEBUG=libp2p*`.
   * A libp2p `ComponentLogger` (e.g. `prefixLogger('node-1')`) gets ours and libp2p's, as libp2p
   * users expect.
   *
   * @default defaultLogger() from @libp2p/logger (silent unless `DEBUG=gossip-ring*` or `DEBUG=libp2p*`)
   */
  logger?: ComponentLogger | PlainLogger
}

/** One group to join at start, after defaults. */
export interface GroupSpec extends OwnershipInit {
  name: string
  weight?: number
  metadata?: Record<string, string>
  minMembers?: number
}

/** The options after defaults and validation. */
export interface ClusterOptions {
  groups: GroupSpec[]
  watcher: boolean
  watchGroups: WatchGroups
  namespace: string
  topic: string
  listen: string[]
  bootstrap: string[]
  mdns: false | { intervalMs: number }
  local: boolean
  /** The interval, or with 'auto' the interval it starts from (the other timings are at that interval too). */
  heartbeatIntervalMs: number
  /** Set with `heartbeatIntervalMs: 'auto'`: how the interval follows the fleet. */
  autoInterval: AutoIntervalRule | undefined
  suspectAfterMs: number
  memberTimeoutMs: number
  flapDampingMs: number
  awareness: boolean
  maxMembersPerGroup: number
  maxClockSkewMs: number
  maxSignersPerPeer: number
  heartbeatJitter: number
  dialGraceMs: number
  reconnectIntervalMs: number
  reconnectMaxBackoffMs: number
  meshDegree: number
  gossipPeers: number
  relay: RelayMode
  /** Agents each agent dials itself; undefined: all. */
  peerSetSize: number | undefined
  redialGiveUpMs: number
  transport: TransportKind
  identityFile?: string
  /** `init.allowedPeers` as a set, our own id added when the node is created. */
  allowedPeers?: ReadonlySet<string>
  /** A validated copy of `init.networkKey`. */
  networkKey?: Uint8Array
}

/** Default of `maxSignersPerPeer`. */
export const DEFAULT_MAX_SIGNERS_PER_PEER = 512

/** Default gossipsub mesh degree (see `ClusterInit.meshDegree`). */
export const DEFAULT_MESH_DEGREE = 1
/** Default of `ClusterInit.gossipPeers`. */
export const DEFAULT_GOSSIP_PEERS = 2
/** The shortest heartbeat interval accepted, in milliseconds. */
export const MIN_HEARTBEAT_INTERVAL_MS = 10

/** Default of `redialGiveUpMs`, in milliseconds. */
export const DEFAULT_REDIAL_GIVE_UP_MS = 120_000

/** Default mDNS query interval in milliseconds. */
export const DEFAULT_MDNS_INTERVAL_MS = 2000

/**
 * Ready-made settings, like memberlist's DefaultLANConfig / DefaultLocalConfig. Spread one and
 * override: `createCluster({ ...presets.local, groups: ['g'] })`. Presets set only the heartbeat
 * interval; suspicion and timeout derive from it (3 and 5 intervals), so overriding
 * `heartbeatIntervalMs` alone scales them too.
 * - `lan`: the defaults; agents on a LAN found by mDNS; a crash is re-split after ~5 s.
 * - `local`: many agents in one process or on one host (tests, demos): no mDNS, loopback, 200 ms
 *   heartbeats, a crash re-split after ~1 s.
 */
export const presets: Readonly<{
  /** Agents on a LAN, found by mDNS: 1 s heartbeats, a crash re-split after ~5 s. */
  lan: Readonly<ClusterInit>
  /** Many agents in one process or on one host: no mDNS, loopback, 200 ms heartbeats. */
  local: Readonly<ClusterInit>
}> = Object.freeze({
  lan: Object.freeze({ heartbeatIntervalMs: 1000, mdns: Object.freeze({ intervalMs: DEFAULT_MDNS_INTERVAL_MS }) }),
  local: Object.freeze({ local: true, mdns: false, heartbeatIntervalMs: 200 })
})

const NAMESPACE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/

/** The gossipsub topic of a namespace's heartbeats (the trailing 1 is the wire version). */
export function heartbeatTopic (namespace: string): string {
  return `gossip-ring/${namespace}/heartbeat/1`
}

/**
 * Applies defaults and validates every option; never mutates `init`.
 *
 * @throws {InvalidOptionError} naming the option, what was wrong and what was expected (an unknown key names the valid ones)
 */
export function resolveClusterOptions (init: ClusterInit = {}): ClusterOptions {
  requireKnownKeys('options', init, CLUSTER_INIT_KEYS)
  const autoInterval = autoIntervalOption(init)
  const timings = resolveTimings({
    heartbeatIntervalMs: autoInterval !== undefined ? autoInterval.baseMs : init.heartbeatIntervalMs as number | undefined,
    ...(init.suspectAfterMs !== undefined ? { suspectAfterMs: init.suspectAfterMs } : {}),
    ...(init.memberTimeoutMs !== undefined ? { memberTimeoutMs: init.memberTimeoutMs } : {})
  })
  const namespace = init.namespace ?? 'default'
  if (typeof namespace !== 'string' || !NAMESPACE_PATTERN.test(namespace)) {
    throw new InvalidOptionError(`namespace must be 1-64 characters of [A-Za-z0-9._-], got ${JSON.stringify(namespace)}`)
  }
  const local = init.local ?? false
  const transport = init.transport ?? 'tcp'
  if (transport !== 'tcp' && transport !== 'memory') {
    throw new InvalidOptionError(`transport must be 'tcp' or 'memory', got ${JSON.stringify(transport)}`)
  }
  const relay = init.relay ?? 'on-demand'
  if (relay !== 'on-demand' && relay !== 'always') {
    throw new InvalidOptionError(`relay must be 'on-demand' or 'always', got ${JSON.stringify(relay)}`)
  }
  const heartbeatJitter = init.heartbeatJitter ?? 0.1
  if (typeof heartbeatJitter !== 'number' || !(heartbeatJitter >= 0 && heartbeatJitter <= 0.5)) {
    throw new InvalidOptionError(`heartbeatJitter must be a fraction from 0 to 0.5, got ${String(heartbeatJitter)}`)
  }
  const reconnectIntervalMs = requirePositiveMs('reconnectIntervalMs', init.reconnectIntervalMs ?? timings.heartbeatIntervalMs)
  if (init.groups !== undefined && !Array.isArray(init.groups)) {
    throw new InvalidOptionError(`groups must be an array of group names or { name, weight?, metadata?, minMembers? }, got ${JSON.stringify(init.groups)}`)
  }
  const groups = (init.groups ?? []).map(groupSpec)
  const groupProblem = groupListProblem(groups.map(group => ({ name: group.name, weight: group.weight ?? 1, metadata: group.metadata ?? {} })))
  if (groupProblem !== undefined) throw new InvalidOptionError(`groups: ${groupProblem}`)
  const watcher = init.watcher ?? false
  if (typeof watcher !== 'boolean') throw new InvalidOptionError(`watcher must be a boolean, got ${JSON.stringify(watcher)}`)
  if (watcher && groups.length > 0) throw new InvalidOptionError('groups must be empty for a watcher: a watcher joins no group')
  for (const group of groups) {
    try {
      resolveOwnershipPolicy(group, timings)
    } catch (err) {
      throw new InvalidOptionError(`groups entry "${group.name}": ${(err as Error).message}`)
    }
  }
  requireHeartbeatFits(groups)
  requireSigningKey(init)
  return {
    groups,
    watcher,
    watchGroups: watchGroupsOption(init.watchGroups ?? (watcher ? '*' : [])),
    namespace,
    topic: heartbeatTopic(namespace),
    listen: requireMultiaddrs('listen', init.listen ?? defaultListen(transport, local), false),
    bootstrap: requireMultiaddrs('bootstrap', init.bootstrap ?? [], true),
    mdns: mdnsOptions(init.mdns ?? true),
    local,
    ...timings,
    autoInterval,
    flapDampingMs: init.flapDampingMs ?? 0,
    awareness: init.awareness ?? true,
    maxMembersPerGroup: requirePositiveInteger('maxMembersPerGroup', init.maxMembersPerGroup ?? DEFAULT_MAX_MEMBERS_PER_GROUP),
    maxSignersPerPeer: requirePositiveInteger('maxSignersPerPeer', init.maxSignersPerPeer ?? DEFAULT_MAX_SIGNERS_PER_PEER),
    maxClockSkewMs: requirePositiveMs('maxClockSkewMs', init.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS),
    heartbeatJitter,
    dialGraceMs: requirePositiveMs('dialGraceMs', init.dialGraceMs ?? 2 * timings.heartbeatIntervalMs),
    reconnectIntervalMs,
    reconnectMaxBackoffMs: requirePositiveMs('reconnectMaxBackoffMs', init.reconnectMaxBackoffMs ?? Math.max(timings.memberTimeoutMs, reconnectIntervalMs)),
    meshDegree: requireIntegerIn('meshDegree', init.meshDegree ?? DEFAULT_MESH_DEGREE, 1, 12),
    gossipPeers: requireIntegerIn('gossipPeers', init.gossipPeers ?? DEFAULT_GOSSIP_PEERS, 0, 16),
    relay,
    peerSetSize: peerSetSizeOption(init.peerSetSize),
    redialGiveUpMs: requirePositiveMs('redialGiveUpMs', init.redialGiveUpMs ?? DEFAULT_REDIAL_GIVE_UP_MS),
    transport,
    ...(init.identityFile !== undefined ? { identityFile: init.identityFile } : {}),
    ...networkKeyOption(init),
    ...(init.allowedPeers !== undefined ? { allowedPeers: requirePeerIds('allowedPeers', init.allowedPeers) } : {})
  }
}

/**
 * `heartbeatIntervalMs` is `'auto'` (then the rule, with `autoHeartbeatsPerSecond`) or a number of
 * at least 10 ms; `autoHeartbeatsPerSecond` only comes with `'auto'`.
 */
function autoIntervalOption (init: ClusterInit): AutoIntervalRule | undefined {
  const interval = init.heartbeatIntervalMs
  if (interval !== undefined && interval !== 'auto' && !(typeof interval === 'number' && interval >= MIN_HEARTBEAT_INTERVAL_MS)) {
    throw new InvalidOptionError(`heartbeatIntervalMs must be 'auto' or a number of at least ${MIN_HEARTBEAT_INTERVAL_MS} ms, got ${JSON.stringify(interval) ?? String(interval)}`)
  }
  if (interval !== 'auto') {
    if (init.autoHeartbeatsPerSecond !== undefined) throw new InvalidOptionError(`autoHeartbeatsPerSecond applies only with heartbeatIntervalMs: 'auto', got heartbeatIntervalMs ${String(interval ?? 'default')}`)
    return undefined
  }
  const perSecond = init.autoHeartbeatsPerSecond ?? DEFAULT_AUTO_HEARTBEATS_PER_SECOND
  if (typeof perSecond !== 'number' || !Number.isFinite(perSecond) || perSecond <= 0) {
    throw new InvalidOptionError(`autoHeartbeatsPerSecond must be a finite number greater than 0, got ${String(perSecond)}`)
  }
  return autoIntervalRule(perSecond)
}

/** `privateKey` comes with `libp2p` and only with it, is Ed25519 (heartbeats are signed with it), and is the key of `libp2p.peerId`. */
function requireSigningKey (init: ClusterInit): void {
  const { libp2p, privateKey } = init
  if (libp2p === undefined) {
    if (privateKey !== undefined) throw new InvalidOptionError('privateKey is only for a node you bring (libp2p); for a lasting id of the node the cluster builds, use identityFile')
    return
  }
  if (privateKey === undefined) throw new InvalidOptionError('libp2p needs privateKey, the key of libp2p.peerId: the cluster signs its heartbeats with it')
  if (privateKey.type !== 'Ed25519') throw new InvalidOptionError(`privateKey must be an Ed25519 key (heartbeats are signed with Ed25519), got ${String(privateKey.type)}`)
  if (!peerIdFromPrivateKey(privateKey).equals(libp2p.peerId)) throw new InvalidOptionError(`privateKey is not the key of libp2p.peerId ${libp2p.peerId.toString()}`)
}

function networkKeyOption (init: ClusterInit): { networkKey?: Uint8Array } {
  if (init.networkKey === undefined) return {}
  if (init.libp2p !== undefined) throw new InvalidOptionError('networkKey cannot be combined with libp2p: give your node a connectionProtector instead')
  return { networkKey: parseNetworkKey(init.networkKey) }
}

function defaultListen (transport: TransportKind, local: boolean): string[] {
  if (transport === 'memory') return [`/memory/${crypto.randomUUID()}`]
  return [local ? '/ip4/127.0.0.1/tcp/0' : '/ip4/0.0.0.0/tcp/0']
}

function groupSpec (group: GroupInit): GroupSpec {
  if (typeof group === 'string') return { name: group }
  if (typeof group !== 'object' || group === null) {
    throw new InvalidOptionError(`groups entries must be a name or { name, weight?, metadata?, minMembers? }, got ${JSON.stringify(group)}`)
  }
  requireKnownKeys(`group ${JSON.stringify(group.name)}`, group, GROUP_INIT_KEYS)
  if (group.minMembers !== undefined && !(Number.isSafeInteger(group.minMembers) && group.minMembers >= 1)) {
    throw new InvalidOptionError(`minMembers of group ${JSON.stringify(group.name)} must be an integer >= 1, got ${String(group.minMembers)}`)
  }
  return { ...group }
}

function watchGroupsOption (watchGroups: WatchGroups): WatchGroups {
  if (watchGroups === '*') return watchGroups
  if (!Array.isArray(watchGroups) || watchGroups.some(name => typeof name !== 'string' || name === '')) {
    throw new InvalidOptionError(`watchGroups must be '*' or an array of group names, got ${JSON.stringify(watchGroups)}`)
  }
  return [...watchGroups]
}

function mdnsOptions (mdns: boolean | MdnsInit): false | { intervalMs: number } {
  if (mdns === false) return false
  if (mdns === true) return { intervalMs: DEFAULT_MDNS_INTERVAL_MS }
  if (typeof mdns !== 'object' || mdns === null) {
    throw new InvalidOptionError(`mdns must be true, false or { intervalMs }, got ${JSON.stringify(mdns)}`)
  }
  return { intervalMs: requirePositiveMs('mdns.intervalMs', mdns.intervalMs ?? DEFAULT_MDNS_INTERVAL_MS) }
}

function requirePositiveMs (name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionError(`${name} must be a finite number of milliseconds greater than 0, got ${String(value)}`)
  }
  return value
}

function requirePeerIds (name: string, values: string[]): ReadonlySet<string> {
  if (!Array.isArray(values)) throw new InvalidOptionError(`${name} must be an array of peer id strings, got ${JSON.stringify(values)}`)
  if (values.length === 0) {
    throw new InvalidOptionError(`${name} is empty: it would refuse every peer (was it built from an empty variable?); list the peer ids to let in, or leave ${name} out to let any peer in`)
  }
  return new Set(values.map(value => {
    requirePeerId(name, value, value)
    return value
  }))
}

function requireMultiaddrs (name: string, values: string[], needPeerId: boolean): string[] {
  if (!Array.isArray(values)) throw new InvalidOptionError(`${name} must be an array of multiaddr strings, got ${JSON.stringify(values)}`)
  return values.map(value => {
    let components
    try {
      components = multiaddr(value).getComponents()
    } catch {
      throw new InvalidOptionError(`${name} entry ${JSON.stringify(value)} is not a multiaddr`)
    }
    const peerId = components.find(component => component.name === 'p2p')?.value
    if (needPeerId && peerId === undefined) {
      throw new InvalidOptionError(`${name} entry ${value} must end with /p2p/<peer id>`)
    }
    if (peerId !== undefined) requirePeerId(name, value, peerId)
    return value
  })
}

/** `peerSetSize`: undefined for 'all' (the default), else an integer from 3 to 64. */
function peerSetSizeOption (value: number | 'all' | undefined): number | undefined {
  if (value === undefined || value === 'all') return undefined
  if (!Number.isInteger(value) || value < 3 || value > 64) {
    throw new InvalidOptionError(`peerSetSize must be 'all' or an integer from 3 to 64, got ${JSON.stringify(value)}`)
  }
  return value
}

function requireIntegerIn (name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`)
  }
  return value
}

function requirePeerId (name: string, value: string, peerId: string): void {
  try {
    peerIdFromString(peerId)
  } catch {
    throw new InvalidOptionError(`${name} entry ${value} has an invalid peer id ${JSON.stringify(peerId)} (expected a base58btc peer id such as 12D3KooW...)`)
  }
}

/**
 * The initial groups must fit in one heartbeat (as `joinGroup` checks), or peers would never see us.
 * Checked without addresses here, before anything starts; `Cluster.start()` checks again with them.
 *
 * @throws {HeartbeatTooLargeError} when they do not fit
 */
function requireHeartbeatFits (groups: GroupSpec[]): void {
  const adverts = groups.map(group => ({ name: group.name, weight: group.weight ?? 1, metadata: group.metadata ?? {} }))
  const digests = Object.fromEntries(adverts.map(advert => [advert.name, '0'.repeat(16)]))
  const owning = Object.fromEntries(adverts.map(advert => [advert.name, LARGEST_OWNING_ADVERT]))
  encodeHeartbeat({ bootId: crypto.randomUUID(), seq: Number.MAX_SAFE_INTEGER, sentAtMs: Date.now(), leaving: false, groups: adverts, digests, addrs: [], owning })
}
