// Public API of `mailwright/admin`: the ready admin console.

export { createAdminHandler, type AdminHandler } from './admin-handler.js';
export type { AdminOptions, AdminTemplate } from './admin-options.js';
