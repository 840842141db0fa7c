// What the passive frame decoder reports: frames as RFC 6455 §5.2 lays them out, and violations.

export interface DecodedFrame {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  maskKey?: Buffer;
  /** Payload length as declared by the header. */
  length: number;
  /** Unmasked payload, at most `maxCapture` bytes. */
  payload: Buffer;
  /** True when payload holds fewer bytes than `length` (capped, or the peer vanished mid-frame). */
  truncated: boolean;
  /** Parsed close payload, for opcode 0x8. */
  close?: { code?: number; reason: string };
  /** Offset in the decoded stream of the frame's first header byte. */
  offset?: number;
}

export interface DecodeError {
  code: string;
  message: string;
  /** The close code RFC 6455 prescribes for this violation, where one applies. */
  closeCode?: number;
  /** Offset in the decoded stream of the first header byte of the frame the error is about. */
  offset?: number;
}

export interface FrameDecoderOptions {
  maxCapture?: number;
  /**
   * Asked once per frame, when its header is complete: how many payload bytes to keep (at
   * most maxCapture). Lets a watcher whose buffer is full skip copying payloads it would drop.
   */
  captureFor?: (opcode: number, length: number) => number;
  /**
   * Asked once per frame, when its header is complete: whether every byte of its payload
   * should also go to onPayload as it arrives, unmasked, however long the frame (an inflater
   * needs them all; the capped copy is kept either way).
   */
  streamPayload?: (opcode: number, rsv1: boolean) => boolean;
  /** The streamed payload, in order; the chunk is only valid during the call. */
  onPayload?: (chunk: Uint8Array) => void;
  onFrame: (frame: DecodedFrame) => void;
  onError: (error: DecodeError) => void;
}
