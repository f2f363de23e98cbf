import type { OrgKind } from '@hospital/shared';

export const ORG_KIND_LABEL: Record<OrgKind, string> = { hospital: '医院', community: '社区', station: '工作站' };
