import * as z from 'zod';

/**
 * Who may call what. `device` is a kiosk or lab system; it authenticates by signature, not JWT.
 *
 * Staff roles are held per organisation (a `Membership`): a doctor of the city hospital is not a
 * doctor of the 南天门 station, and a person may belong to several organisations with different
 * roles in each. `pharmacist` (药师) is a qualification the law asks for before a prescription is
 * dispensed (《医疗机构处方审核规范》: 处方审核 by 药师 or above), so it is a role of its own, never
 * implied by `doctor` or `admin`. `platform_admin` runs the platform itself (rescue points, the
 * identity-abuse flags): it belongs to no organisation, grants nothing on any organisation's data,
 * and every request made with it is audited.
 */
export const Roles = ['patient', 'doctor', 'nurse', 'pharmacist', 'cashier', 'dispatcher', 'admin', 'platform_admin'] as const;
export const RoleSchema = z.enum(Roles);
export type Role = z.infer<typeof RoleSchema>;

export const RoleNames: Record<Role, string> = {
  patient: '患者',
  doctor: '医生',
  nurse: '护士',
  pharmacist: '药师',
  cashier: '收费员',
  dispatcher: '120调度员',
  admin: '管理员',
  platform_admin: '平台管理员',
};

export const StaffRoles = ['doctor', 'nurse', 'pharmacist', 'cashier', 'dispatcher', 'admin', 'platform_admin'] as const satisfies readonly Role[];
export type StaffRole = (typeof StaffRoles)[number];

/** Roles that exist only inside an organisation. */
export const OrgRoles = ['doctor', 'nurse', 'pharmacist', 'cashier', 'dispatcher', 'admin'] as const satisfies readonly StaffRole[];
export const OrgRoleSchema = z.enum(OrgRoles);
export type OrgRole = z.infer<typeof OrgRoleSchema>;

/** One organisation a staff member belongs to, and their roles there. */
export const MembershipSchema = z.object({
  orgId: z.string(),
  orgName: z.string().optional(),
  roles: z.array(OrgRoleSchema).min(1),
});
export type Membership = z.infer<typeof MembershipSchema>;
