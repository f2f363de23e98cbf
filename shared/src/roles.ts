import * as z from 'zod';

/** Who may call what. `device` is a kiosk or lab system; it authenticates by signature, not JWT. */
export const Roles = ['patient', 'doctor', 'nurse', 'cashier', 'dispatcher', 'admin'] as const;
export const RoleSchema = z.enum(Roles);
export type Role = z.infer<typeof RoleSchema>;

export const RoleNames: Record<Role, string> = {
  patient: '患者',
  doctor: '医生',
  nurse: '护士',
  cashier: '收费员',
  dispatcher: '120调度员',
  admin: '管理员',
};

export const StaffRoles = ['doctor', 'nurse', 'cashier', 'dispatcher', 'admin'] as const satisfies readonly Role[];
