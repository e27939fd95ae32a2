// Every change of the holiday table takes this transaction-scoped advisory lock first, so an
// import compares and applies against a year nobody else is changing at the same moment.
export const CALENDAR_LOCK = 0x68_6f_6c_69; // "holi"
