import { decodeMessage, encodeMessage, MaxLengthError, MaxSizeError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Heartbeat {
  version: number
  bootId: string
  seq: bigint
  leaving: boolean
  groups: Group[]
  addrs: Uint8Array<ArrayBuffer>[]
  sentAtMs: bigint
  conflicts: string[]
  watcher: boolean
  unheard: string[]
  unheardMore: boolean
  heartbeatIntervalMs?: number
}

export namespace Heartbeat {
  let _codec: Codec<Heartbeat>

  export const codec = (): Codec<Heartbeat> => {
    if (_codec == null) {
      _codec = message<Heartbeat>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.bootId != null && obj.bootId !== '')) {
          w.uint32(18)
          w.string(obj.bootId)
        }

        if ((obj.seq != null && obj.seq !== 0n)) {
          w.uint32(24)
          w.uint64(obj.seq)
        }

        if ((obj.leaving != null && obj.leaving !== false)) {
          w.uint32(32)
          w.bool(obj.leaving)
        }

        if (obj.groups != null && obj.groups.length > 0) {
          for (const value of obj.groups) {
            w.uint32(42)
            Group.codec().encode(value, w)
          }
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(50)
            w.bytes(value)
          }
        }

        if ((obj.sentAtMs != null && obj.sentAtMs !== 0n)) {
          w.uint32(56)
          w.uint64(obj.sentAtMs)
        }

        if (obj.conflicts != null && obj.conflicts.length > 0) {
          for (const value of obj.conflicts) {
            w.uint32(66)
            w.string(value)
          }
        }

        if ((obj.watcher != null && obj.watcher !== false)) {
          w.uint32(72)
          w.bool(obj.watcher)
        }

        if (obj.unheard != null && obj.unheard.length > 0) {
          for (const value of obj.unheard) {
            w.uint32(82)
            w.string(value)
          }
        }

        if ((obj.unheardMore != null && obj.unheardMore !== false)) {
          w.uint32(88)
          w.bool(obj.unheardMore)
        }

        if (obj.heartbeatIntervalMs != null) {
          w.uint32(96)
          w.uint32(obj.heartbeatIntervalMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          bootId: '',
          seq: 0n,
          leaving: false,
          groups: [],
          addrs: [],
          sentAtMs: 0n,
          conflicts: [],
          watcher: false,
          unheard: [],
          unheardMore: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.bootId = reader.string()
              break
            }
            case 3: {
              obj.seq = reader.uint64()
              break
            }
            case 4: {
              obj.leaving = reader.bool()
              break
            }
            case 5: {
              if (opts.limits?.groups != null && obj.groups.length === opts.limits.groups) {
                throw new MaxLengthError('Decode error - repeated field "groups" had too many elements')
              }

              obj.groups.push(Group.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.groups$
              }))
              break
            }
            case 6: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(reader.bytes())
              break
            }
            case 7: {
              obj.sentAtMs = reader.uint64()
              break
            }
            case 8: {
              if (opts.limits?.conflicts != null && obj.conflicts.length === opts.limits.conflicts) {
                throw new MaxLengthError('Decode error - repeated field "conflicts" had too many elements')
              }

              obj.conflicts.push(reader.string())
              break
            }
            case 9: {
              obj.watcher = reader.bool()
              break
            }
            case 10: {
              if (opts.limits?.unheard != null && obj.unheard.length === opts.limits.unheard) {
                throw new MaxLengthError('Decode error - repeated field "unheard" had too many elements')
              }

              obj.unheard.push(reader.string())
              break
            }
            case 11: {
              obj.unheardMore = reader.bool()
              break
            }
            case 12: {
              obj.heartbeatIntervalMs = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          groups: 0,
          addrs: 0,
          conflicts: 0,
          unheard: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.bootId`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.leaving`,
                value: reader.bool()
              }
              break
            }
            case 5: {
              if (opts.limits?.groups != null && obj.groups === opts.limits.groups) {
                throw new MaxLengthError('Streaming decode error - repeated field "groups" had too many elements')
              }

              for (const evt of Group.codec().stream(reader, reader.uint32(), `${prefix}.groups[]`, {
                limits: opts.limits?.groups$
              })) {
                yield {
                  ...evt,
                  index: obj.groups
                }
              }

              obj.groups++

              break
            }
            case 6: {
              if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
              }

              yield {
                field: `${prefix}.addrs[]`,
                index: obj.addrs,
                value: reader.bytes()
              }

              obj.addrs++

              break
            }
            case 7: {
              yield {
                field: `${prefix}.sentAtMs`,
                value: reader.uint64()
              }
              break
            }
            case 8: {
              if (opts.limits?.conflicts != null && obj.conflicts === opts.limits.conflicts) {
                throw new MaxLengthError('Streaming decode error - repeated field "conflicts" had too many elements')
              }

              yield {
                field: `${prefix}.conflicts[]`,
                index: obj.conflicts,
                value: reader.string()
              }

              obj.conflicts++

              break
            }
            case 9: {
              yield {
                field: `${prefix}.watcher`,
                value: reader.bool()
              }
              break
            }
            case 10: {
              if (opts.limits?.unheard != null && obj.unheard === opts.limits.unheard) {
                throw new MaxLengthError('Streaming decode error - repeated field "unheard" had too many elements')
              }

              yield {
                field: `${prefix}.unheard[]`,
                index: obj.unheard,
                value: reader.string()
              }

              obj.unheard++

              break
            }
            case 11: {
              yield {
                field: `${prefix}.unheardMore`,
                value: reader.bool()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.heartbeatIntervalMs`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface HeartbeatVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface HeartbeatBootIdFieldEvent {
    field: '$.bootId'
    value: string
  }

  export interface HeartbeatSeqFieldEvent {
    field: '$.seq'
    value: bigint
  }

  export interface HeartbeatLeavingFieldEvent {
    field: '$.leaving'
    value: boolean
  }

  export interface HeartbeatGroupsNameFieldEvent {
    field: '$.groups[].name'
    value: string
    index: number
  }

  export interface HeartbeatGroupsWeightFieldEvent {
    field: '$.groups[].weight'
    value: number
    index: number
  }

  export interface HeartbeatGroupsMetadataFieldEvent {
    field: '$.groups[].metadata{}'
    key: string
    value: string
    index: number
  }

  export interface HeartbeatGroupsDigestFieldEvent {
    field: '$.groups[].digest'
    value: string
    index: number
  }

  export interface HeartbeatGroupsEpochFieldEvent {
    field: '$.groups[].epoch'
    value: bigint
    index: number
  }

  export interface HeartbeatGroupsOwningDigestFieldEvent {
    field: '$.groups[].owningDigest'
    value: string
    index: number
  }

  export interface HeartbeatGroupsPolicyFieldEvent {
    field: '$.groups[].policy'
    value: number
    index: number
  }

  export interface HeartbeatAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface HeartbeatSentAtMsFieldEvent {
    field: '$.sentAtMs'
    value: bigint
  }

  export interface HeartbeatConflictsFieldEvent {
    field: '$.conflicts[]'
    index: number
    value: string
  }

  export interface HeartbeatWatcherFieldEvent {
    field: '$.watcher'
    value: boolean
  }

  export interface HeartbeatUnheardFieldEvent {
    field: '$.unheard[]'
    index: number
    value: string
  }

  export interface HeartbeatUnheardMoreFieldEvent {
    field: '$.unheardMore'
    value: boolean
  }

  export interface HeartbeatHeartbeatIntervalMsFieldEvent {
    field: '$.heartbeatIntervalMs'
    value: number
  }

  export function encode (obj: Partial<Heartbeat>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Heartbeat.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Heartbeat>): Heartbeat {
    return decodeMessage(buf, Heartbeat.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Heartbeat>): Generator<HeartbeatVersionFieldEvent | HeartbeatBootIdFieldEvent | HeartbeatSeqFieldEvent | HeartbeatLeavingFieldEvent | HeartbeatGroupsNameFieldEvent | HeartbeatGroupsWeightFieldEvent | HeartbeatGroupsMetadataFieldEvent | HeartbeatGroupsDigestFieldEvent | HeartbeatGroupsEpochFieldEvent | HeartbeatGroupsOwningDigestFieldEvent | HeartbeatGroupsPolicyFieldEvent | HeartbeatAddrsFieldEvent | HeartbeatSentAtMsFieldEvent | HeartbeatConflictsFieldEvent | HeartbeatWatcherFieldEvent | HeartbeatUnheardFieldEvent | HeartbeatUnheardMoreFieldEvent | HeartbeatHeartbeatIntervalMsFieldEvent> {
    return streamMessage(buf, Heartbeat.codec(), opts)
  }
}

export interface Group {
  name: string
  weight: number
  metadata: Map<string, string>
  digest: string
  epoch: bigint
  owningDigest: string
  policy: number
}

export namespace Group {
  export interface Group$metadataEntry {
    key: string
    value: string
  }

  export namespace Group$metadataEntry {
    let _codec: Codec<Group$metadataEntry>

    export const codec = (): Codec<Group$metadataEntry> => {
      if (_codec == null) {
        _codec = message<Group$metadataEntry>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.key != null && obj.key !== '')) {
            w.uint32(10)
            w.string(obj.key)
          }

          if ((obj.value != null && obj.value !== '')) {
            w.uint32(18)
            w.string(obj.value)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            key: '',
            value: ''
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.key = reader.string()
                break
              }
              case 2: {
                obj.value = reader.string()
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.key`,
                  value: reader.string()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.value`,
                  value: reader.string()
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface Group$metadataEntryKeyFieldEvent {
      field: '$.key'
      value: string
    }

    export interface Group$metadataEntryValueFieldEvent {
      field: '$.value'
      value: string
    }

    export function encode (obj: Partial<Group$metadataEntry>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Group$metadataEntry.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Group$metadataEntry>): Group$metadataEntry {
      return decodeMessage(buf, Group$metadataEntry.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Group$metadataEntry>): Generator<Group$metadataEntryKeyFieldEvent | Group$metadataEntryValueFieldEvent> {
      return streamMessage(buf, Group$metadataEntry.codec(), opts)
    }
  }

  let _codec: Codec<Group>

  export const codec = (): Codec<Group> => {
    if (_codec == null) {
      _codec = message<Group>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if ((obj.weight != null && obj.weight !== 0)) {
          w.uint32(17)
          w.double(obj.weight)
        }

        if (obj.metadata != null && obj.metadata.size > 0) {
          for (const [key, value] of obj.metadata.entries()) {
            w.uint32(26)
            Group.Group$metadataEntry.codec().encode({ key, value }, w)
          }
        }

        if ((obj.digest != null && obj.digest !== '')) {
          w.uint32(34)
          w.string(obj.digest)
        }

        if ((obj.epoch != null && obj.epoch !== 0n)) {
          w.uint32(40)
          w.uint64(obj.epoch)
        }

        if ((obj.owningDigest != null && obj.owningDigest !== '')) {
          w.uint32(50)
          w.string(obj.owningDigest)
        }

        if ((obj.policy != null && obj.policy !== 0)) {
          w.uint32(61)
          w.fixed32(obj.policy)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: '',
          weight: 0,
          metadata: new Map<string, string>(),
          digest: '',
          epoch: 0n,
          owningDigest: '',
          policy: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.name = reader.string()
              break
            }
            case 2: {
              obj.weight = reader.double()
              break
            }
            case 3: {
              if (opts.limits?.metadata != null && obj.metadata.size === opts.limits.metadata) {
                throw new MaxSizeError('Decode error - map field "metadata" had too many elements')
              }

              const entry = Group.Group$metadataEntry.codec().decode(reader, reader.uint32(), {
                limits: {
                  value: opts.limits?.metadata$value
                }
              })
              obj.metadata.set(entry.key, entry.value)
              break
            }
            case 4: {
              obj.digest = reader.string()
              break
            }
            case 5: {
              obj.epoch = reader.uint64()
              break
            }
            case 6: {
              obj.owningDigest = reader.string()
              break
            }
            case 7: {
              obj.policy = reader.fixed32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          metadata: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.weight`,
                value: reader.double()
              }
              break
            }
            case 3: {
              if (opts.limits?.metadata != null && obj.metadata === opts.limits.metadata) {
                throw new MaxLengthError('Decode error - map field "metadata" had too many elements')
              }

              yield * Group.Group$metadataEntry.codec().stream(reader, reader.uint32(), `${prefix}.metadata{}`, {
                limits: {
                  value: opts.limits?.metadata$value
                }
              })

              obj.metadata++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.digest`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.epoch`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.owningDigest`,
                value: reader.string()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.policy`,
                value: reader.fixed32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface GroupNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface GroupWeightFieldEvent {
    field: '$.weight'
    value: number
  }

  export interface GroupMetadataFieldEvent {
    field: '$.metadata{}'
    key: string
    value: string
  }

  export interface GroupDigestFieldEvent {
    field: '$.digest'
    value: string
  }

  export interface GroupEpochFieldEvent {
    field: '$.epoch'
    value: bigint
  }

  export interface GroupOwningDigestFieldEvent {
    field: '$.owningDigest'
    value: string
  }

  export interface GroupPolicyFieldEvent {
    field: '$.policy'
    value: number
  }

  export function encode (obj: Partial<Group>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Group.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Group>): Group {
    return decodeMessage(buf, Group.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Group>): Generator<GroupNameFieldEvent | GroupWeightFieldEvent | GroupMetadataFieldEvent | GroupDigestFieldEvent | GroupEpochFieldEvent | GroupOwningDigestFieldEvent | GroupPolicyFieldEvent> {
    return streamMessage(buf, Group.codec(), opts)
  }
}

export interface SignedHeartbeat {
  author: Uint8Array<ArrayBuffer>
  heartbeat: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedHeartbeat {
  let _codec: Codec<SignedHeartbeat>

  export const codec = (): Codec<SignedHeartbeat> => {
    if (_codec == null) {
      _codec = message<SignedHeartbeat>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.author != null && obj.author.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.author)
        }

        if ((obj.heartbeat != null && obj.heartbeat.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.heartbeat)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          author: uint8ArrayAlloc(0),
          heartbeat: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.author = reader.bytes()
              break
            }
            case 2: {
              obj.heartbeat = reader.bytes()
              break
            }
            case 3: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.author`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.heartbeat`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SignedHeartbeatAuthorFieldEvent {
    field: '$.author'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedHeartbeatHeartbeatFieldEvent {
    field: '$.heartbeat'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedHeartbeatSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedHeartbeat>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedHeartbeat.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedHeartbeat>): SignedHeartbeat {
    return decodeMessage(buf, SignedHeartbeat.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedHeartbeat>): Generator<SignedHeartbeatAuthorFieldEvent | SignedHeartbeatHeartbeatFieldEvent | SignedHeartbeatSignatureFieldEvent> {
    return streamMessage(buf, SignedHeartbeat.codec(), opts)
  }
}
