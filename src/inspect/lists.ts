/** Lists kept by an owner and used again call after call. */

// A list longer than this is let go of whole when emptied (its room too).
const KEEP_ROOM_UP_TO = 64;

/**
 * Empty `list`, keeping its room when it is short: `length = 0` lets go of the room, and the
 * next call's first push makes it again (on a 64-bit heap, 150 bytes for the first few items).
 */
export function emptyKeepingRoom(list: unknown[]): void {
  if (list.length > KEEP_ROOM_UP_TO) list.length = 0;
  else while (list.length > 0) list.pop();
}
