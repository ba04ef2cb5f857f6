export const QUEUE = 'data_bank';
export const DOMAIN = 'data_bank';

/** The system user that maintenance runs for (scheduled or queued through the API). */
export const SYSTEM_USER = '0';
