// Socket.IO room names, built in one place: a user's own room, the coordinators' board, a need sheet.
export const userRoom = (userId: number) => `user:${userId}`;
export const boardRoom = 'board';
export const sheetRoom = (community: string) => `sheet:${community.trim().toLowerCase()}`;
