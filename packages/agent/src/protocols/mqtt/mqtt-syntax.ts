// MQTT 3.1.1 (OASIS, 2014) and 5.0 (OASIS, 2019) control packets. Every packet
// starts with a fixed header: the packet type in the high nibble of byte 1, its
// flags in the low nibble (3.1.1 §2.2, 5.0 §2.1), then the Remaining Length as a
// variable byte integer of 1 to 4 bytes (3.1.1 §2.2.3, 5.0 §1.5.5).

/** Packet types, the high nibble of the first byte (the first byte with zero flags in the comment). */
export const PacketType = {
  Connect: 1, // 0x10
  Connack: 2, // 0x20
  Publish: 3, // 0x30 (flags: DUP, QoS x2, RETAIN)
  Puback: 4, // 0x40
  Pubrec: 5, // 0x50
  Pubrel: 6, // 0x62 (flags must be 0010)
  Pubcomp: 7, // 0x70
  Subscribe: 8, // 0x82 (flags must be 0010)
  Suback: 9, // 0x90
  Unsubscribe: 10, // 0xa2 (flags must be 0010)
  Unsuback: 11, // 0xb0
  Pingreq: 12, // 0xc0
  Pingresp: 13, // 0xd0
  Disconnect: 14, // 0xe0
  Auth: 15, // 0xf0 (5.0 only)
} as const;
export type PacketType = (typeof PacketType)[keyof typeof PacketType];

export const PACKET_NAMES: Record<number, string> = {
  1: "CONNECT",
  2: "CONNACK",
  3: "PUBLISH",
  4: "PUBACK",
  5: "PUBREC",
  6: "PUBREL",
  7: "PUBCOMP",
  8: "SUBSCRIBE",
  9: "SUBACK",
  10: "UNSUBSCRIBE",
  11: "UNSUBACK",
  12: "PINGREQ",
  13: "PINGRESP",
  14: "DISCONNECT",
  15: "AUTH",
};

/** Packets each side may send (3.1.1 §2.2.1 table 2.1, 5.0 §2.1.2 table 2-1). */
export const CLIENT_PACKETS: ReadonlySet<number> = new Set([1, 3, 4, 5, 6, 7, 8, 10, 12, 14, 15]);
export const SERVER_PACKETS: ReadonlySet<number> = new Set([2, 3, 4, 5, 6, 7, 9, 11, 13, 14, 15]);

/** Packets whose flags are fixed at 0010 (3.1.1 §2.2.2 table 2.2, 5.0 §2.1.3); all others but PUBLISH use 0000. */
export const FLAGS_0010: ReadonlySet<number> = new Set([
  PacketType.Pubrel,
  PacketType.Subscribe,
  PacketType.Unsubscribe,
]);

/** CONNECT's protocol level byte (3.1.1 §3.1.2.2, 5.0 §3.1.2.2). */
export const ProtocolLevel = {
  V31: 3, // "MQIsdp"
  V311: 4, // "MQTT"
  V5: 5, // "MQTT"
} as const;

export const MqttLimits = {
  /** Non-PUBLISH packets are read whole up to this size; larger ones (a huge will message) are skipped. */
  maxBufferedPacket: 64 * 1024,
  /** The most Remaining Length can say: 268,435,455 (four 7-bit groups). */
  maxRemainingLength: 268_435_455,
  maxKeptString: 256,
  maxKeptFilters: 8,
} as const;
