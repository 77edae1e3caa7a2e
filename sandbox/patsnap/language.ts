/**
 * English ↔ Chinese legal-status vocabulary. connect.zhihuiya.com answers in Chinese (NOTES
 * §2.1); the sandbox does the same with `patsnap.language: 'cn'`. Exported so the node's own
 * mapping can be tested against exactly what the sandbox sends.
 */
export const SIMPLE_LEGAL_STATUS_CN: Readonly<Record<string, string>> = {
	Active: '有效',
	Inactive: '失效',
	Pending: '审中',
	Undetermined: '未确认',
	'PCT designated period': 'PCT指定期内',
	'PCT designated expiration': 'PCT指定期满',
};

export const LEGAL_STATUS_CN: Readonly<Record<string, string>> = {
	Published: '公开',
	Examining: '实质审查',
	Granted: '授权',
	Double: '一案双申',
	Abandoned: '放弃',
	Withdrawn: '撤回',
	Rejected: '驳回',
	Revoked: '撤销',
	Expired: '期限届满',
	'Non-Payment': '未缴年费',
	Restoration: '权利恢复',
	Ceased: '权利终止',
	'P-Revoked': '部分无效',
	Discontinuation: '避重放弃',
	'PCT published': 'PCT公布',
	'PCT entering': 'PCT进入国家阶段',
	unentered: 'PCT未进入',
};

export const EVENT_STATUS_CN: Readonly<Record<string, string>> = {
	Transfer: '转让',
	License: '许可',
	Pledge: '质押',
	Trust: '信托',
	Opposition: '异议',
	'Re-examination': '复审',
	Customs: '海关备案',
	Litigation: '诉讼',
	Preservation: '保全',
	'Invalid-procedure': '无效程序',
	'Oral-procedure': '口审',
	Declassification: '解密',
	'Double application': '一案双申',
};

export type StatusField = 'simple_legal_status' | 'legal_status' | 'event_status';

const TABLES: Record<StatusField, Readonly<Record<string, string>>> = {
	simple_legal_status: SIMPLE_LEGAL_STATUS_CN,
	legal_status: LEGAL_STATUS_CN,
	event_status: EVENT_STATUS_CN,
};

export function toChinese(field: StatusField, value: string): string {
	return TABLES[field][value] ?? value;
}

/** Reverse lookup; values already in English pass through. */
export function toEnglish(field: StatusField, value: string): string {
	const hit = Object.entries(TABLES[field]).find(([, cn]) => cn === value);
	return hit ? hit[0] : value;
}

export function localise(field: StatusField, values: string[], language: 'en' | 'cn'): string[] {
	return language === 'cn' ? values.map((v) => toChinese(field, v)) : [...values];
}
