// PostgreSQL frontend/backend protocol 3.0 wire constants.
// Source: PostgreSQL docs, "Frontend/Backend Protocol" §55.7 Message Formats
// (https://www.postgresql.org/docs/current/protocol-message-formats.html).
//
// A typed message:      | type (1) | length (int32 BE, counts itself, not the type) | body |
// A startup-family one: | length (int32 BE, counts itself) | code (int32 BE) | body |
// (StartupMessage, SSLRequest, GSSENCRequest, CancelRequest: the frontend's first message.)

/** Messages the client (frontend) sends. */
export const FrontendMessage = {
  Bind: 0x42, // 'B'
  Close: 0x43, // 'C'
  CopyData: 0x64, // 'd'
  CopyDone: 0x63, // 'c'
  CopyFail: 0x66, // 'f'
  Describe: 0x44, // 'D'
  Execute: 0x45, // 'E'
  Flush: 0x48, // 'H'
  FunctionCall: 0x46, // 'F'
  Parse: 0x50, // 'P'
  /** PasswordMessage, SASLInitialResponse, SASLResponse, GSSResponse: never stored. */
  Password: 0x70, // 'p'
  Query: 0x51, // 'Q'
  Sync: 0x53, // 'S'
  Terminate: 0x58, // 'X'
} as const;

/** Messages the server (backend) sends. */
export const BackendMessage = {
  Authentication: 0x52, // 'R'
  BackendKeyData: 0x4b, // 'K'
  BindComplete: 0x32, // '2'
  CloseComplete: 0x33, // '3'
  CommandComplete: 0x43, // 'C'
  CopyData: 0x64, // 'd'
  CopyDone: 0x63, // 'c'
  CopyInResponse: 0x47, // 'G'
  CopyOutResponse: 0x48, // 'H'
  CopyBothResponse: 0x57, // 'W'
  DataRow: 0x44, // 'D'
  EmptyQueryResponse: 0x49, // 'I'
  ErrorResponse: 0x45, // 'E'
  FunctionCallResponse: 0x56, // 'V'
  NegotiateProtocolVersion: 0x76, // 'v'
  NoData: 0x6e, // 'n'
  NoticeResponse: 0x4e, // 'N'
  NotificationResponse: 0x41, // 'A'
  ParameterDescription: 0x74, // 't'
  ParameterStatus: 0x53, // 'S'
  ParseComplete: 0x31, // '1'
  PortalSuspended: 0x73, // 's'
  ReadyForQuery: 0x5a, // 'Z'
  RowDescription: 0x54, // 'T'
} as const;

/** The code word of a startup-family message (§55.7: CancelRequest, GSSENCRequest, SSLRequest, StartupMessage). */
export const StartupCode = {
  /** Protocol 3.0: major 3 in the high 16 bits; 3.2 (PostgreSQL 18) keeps the major. */
  ProtocolMajor3: 3,
  CancelRequest: 80877102, // 1234 << 16 | 5678
  SslRequest: 80877103, // 1234 << 16 | 5679
  GssEncRequest: 80877104, // 1234 << 16 | 5680
} as const;

/** The single byte that answers SSLRequest/GSSENCRequest (§54.2.10, §54.2.11). */
export const EncryptionAnswer = {
  Accepted: 0x53, // 'S'
  Refused: 0x4e, // 'N'
  GssAccepted: 0x47, // 'G'
} as const;

/** Authentication request codes, the int32 after 'R' (§55.7 AuthenticationOk … AuthenticationSASLFinal). */
export const AuthenticationCode: Readonly<Record<number, string>> = {
  0: "ok",
  2: "kerberos-v5",
  3: "cleartext",
  5: "md5",
  7: "gss",
  8: "gss-continue",
  9: "sspi",
  10: "sasl",
  11: "sasl-continue",
  12: "sasl-final",
};

/** Error and notice field codes (§55.8 Error and Notice Message Fields). */
export const ErrorField = {
  Severity: 0x56, // 'V' (non-localized; 'S' is localized)
  LocalizedSeverity: 0x53, // 'S'
  Code: 0x43, // 'C'
  Message: 0x4d, // 'M'
} as const;

export const PostgresLimits = {
  /** A message longer than this cannot be valid: the server's MaxAllocSize (1 GiB - 1). */
  maxMessageLength: 0x3fffffff,
  /** A resync candidate must be shorter: random bytes rarely start with three zero-ish bytes. */
  maxResyncLength: 1 << 24,
  /** The server refuses longer startup packets (MAX_STARTUP_PACKET_LENGTH, pqcomm.h). */
  maxStartupLength: 10_000,
  /** Body bytes kept from messages that carry SQL, names or errors; the rest streams past. */
  keptBodyBytes: 4096,
} as const;

/**
 * Smallest and largest legal length field per type. Fixed-size messages are
 * the strongest check the resync search has (Sync is exactly 4, ReadyForQuery 5).
 */
type LengthRule = readonly [min: number, max: number];
const ANY = PostgresLimits.maxMessageLength;

export const FRONTEND_LENGTHS: ReadonlyMap<number, LengthRule> = new Map<number, LengthRule>([
  [FrontendMessage.Bind, [12, ANY]],
  [FrontendMessage.Close, [6, ANY]],
  [FrontendMessage.CopyData, [4, ANY]],
  [FrontendMessage.CopyDone, [4, 4]],
  [FrontendMessage.CopyFail, [5, ANY]],
  [FrontendMessage.Describe, [6, ANY]],
  [FrontendMessage.Execute, [9, ANY]],
  [FrontendMessage.Flush, [4, 4]],
  [FrontendMessage.FunctionCall, [14, ANY]],
  [FrontendMessage.Parse, [8, ANY]],
  [FrontendMessage.Password, [4, ANY]],
  [FrontendMessage.Query, [5, ANY]],
  [FrontendMessage.Sync, [4, 4]],
  [FrontendMessage.Terminate, [4, 4]],
]);

export const BACKEND_LENGTHS: ReadonlyMap<number, LengthRule> = new Map<number, LengthRule>([
  [BackendMessage.Authentication, [8, ANY]],
  // 12 in protocol 3.0; 3.2 (PostgreSQL 18) allows a key of up to 256 bytes.
  [BackendMessage.BackendKeyData, [12, 264]],
  [BackendMessage.BindComplete, [4, 4]],
  [BackendMessage.CloseComplete, [4, 4]],
  [BackendMessage.CommandComplete, [5, ANY]],
  [BackendMessage.CopyData, [4, ANY]],
  [BackendMessage.CopyDone, [4, 4]],
  [BackendMessage.CopyInResponse, [7, ANY]],
  [BackendMessage.CopyOutResponse, [7, ANY]],
  [BackendMessage.CopyBothResponse, [7, ANY]],
  [BackendMessage.DataRow, [6, ANY]],
  [BackendMessage.EmptyQueryResponse, [4, 4]],
  [BackendMessage.ErrorResponse, [5, ANY]],
  [BackendMessage.FunctionCallResponse, [8, ANY]],
  [BackendMessage.NegotiateProtocolVersion, [12, ANY]],
  [BackendMessage.NoData, [4, 4]],
  [BackendMessage.NoticeResponse, [5, ANY]],
  [BackendMessage.NotificationResponse, [10, ANY]],
  [BackendMessage.ParameterDescription, [6, ANY]],
  [BackendMessage.ParameterStatus, [6, ANY]],
  [BackendMessage.ParseComplete, [4, 4]],
  [BackendMessage.PortalSuspended, [4, 4]],
  [BackendMessage.ReadyForQuery, [5, 5]],
  [BackendMessage.RowDescription, [6, ANY]],
]);

/** Body bytes kept per frontend message the parser reads (SQL, names); all others stream past unstored. */
export const FRONTEND_KEPT: ReadonlyMap<number, number> = new Map([
  [FrontendMessage.Query, PostgresLimits.keptBodyBytes],
  [FrontendMessage.Parse, PostgresLimits.keptBodyBytes],
  [FrontendMessage.Bind, 256],
  [FrontendMessage.Describe, 256],
  [FrontendMessage.Execute, 256],
  [FrontendMessage.Close, 256],
]);

/** Body bytes kept per backend message the parser reads. 'R' keeps only its code, not SASL data. */
export const BACKEND_KEPT: ReadonlyMap<number, number> = new Map([
  [BackendMessage.Authentication, 4],
  [BackendMessage.CommandComplete, 256],
  [BackendMessage.ErrorResponse, 2048],
  [BackendMessage.ReadyForQuery, 1],
  [BackendMessage.RowDescription, 2],
]);
