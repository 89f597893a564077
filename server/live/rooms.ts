// Socket.IO room names, built in one place: a user's own room, a session's, the coordinators' board (all of it, and
// per warehouse for what happens on the road), a household's page (per access code).
export const userRoom = (userId: number) => `user:${userId}`;
/** The sockets opened with one sign-in's token (closed together when it is revoked). */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const boardRoom = 'board';
/** Joined by coordinators who follow every warehouse, and by admins. */
export const allWarehousesRoom = 'board:warehouses';
export const warehouseRoom = (warehouseId: number) => `board:warehouse:${warehouseId}`;
/** Where news of a warehouse's drivers goes: to its own followers and to those who follow all. */
export const warehouseRooms = (warehouseId: number | null) => (warehouseId === null ? [allWarehousesRoom] : [allWarehousesRoom, warehouseRoom(warehouseId)]);
/** The namespace of households' pages: sockets opened with an access code, not a sign-in. */
export const residentNamespace = '/resident';
/** The pages open with one access code (named by the code's hash, never the code): closed together when it is revoked. */
export const residentRoom = (codeHash: string) => `resident:${codeHash}`;
