import type { IDataObject } from 'n8n-workflow';

/**
 * The China host (connect.zhihuiya.com) answers legal-status fields in Chinese, e.g. 有效 for
 * Active, 授权 for Granted, 审中 for Pending. The English values are the ones PatSnap documents for
 * P013/P041; each Chinese value is the label PatSnap pairs with it in its bilingual field
 * descriptions. Where PatSnap uses a shorter or older label for the same status, that label is
 * listed too, so either spelling reads the same.
 */
export type StatusField = 'simple_legal_status' | 'legal_status' | 'event_status';

const SIMPLE_LEGAL_STATUS: Readonly<Record<string, string>> = {
	有效: 'Active',
	失效: 'Inactive',
	审中: 'Pending',
	未确认: 'Undetermined',
	PCT指定期内: 'PCT designated period',
	PCT指定期满: 'PCT designated expiration',
};

const LEGAL_STATUS: Readonly<Record<string, string>> = {
	公开: 'Published',
	实质审查: 'Examining',
	授权: 'Granted',
	避重授权: 'Double',
	避免重复授权: 'Double',
	放弃: 'Abandoned',
	'放弃-未指定类型': 'Abandoned-Undetermined',
	'放弃-主动放弃': 'Abandoned-Voluntarily',
	主动放弃: 'Abandoned-Voluntarily',
	'放弃-视为放弃': 'Abandoned-Deemed',
	视为放弃: 'Abandoned-Deemed',
	撤回: 'Withdrawn',
	'撤回-未指定类型': 'Withdrawn-Undetermined',
	'撤回-主动撤回': 'Withdrawn-Voluntarily',
	主动撤回: 'Withdrawn-Voluntarily',
	'撤回-视为撤回': 'Withdrawn-Deemed',
	视为撤回: 'Withdrawn-Deemed',
	驳回: 'Rejected',
	全部撤销: 'Revoked',
	撤销: 'Revoked',
	期限届满: 'Expired',
	未缴年费: 'Non-Payment',
	权利恢复: 'Restoration',
	权利终止: 'Ceased',
	部分无效: 'P-Revoked',
	申请终止: 'Discontinuation',
	PCT国际公布: 'PCT published',
	PCT公布: 'PCT published',
	'PCT进入指定国（指定期内）': 'PCT entering(designated period)',
	'PCT进入指定国（指定期满）': 'PCT entering(designated expiration)',
	PCT未进指定国: 'unentered',
	PCT未进入指定国: 'unentered',
	PCT未进入: 'unentered',
};

const EVENT_STATUS: Readonly<Record<string, string>> = {
	权利转移: 'Transfer',
	转让: 'Transfer',
	许可: 'License',
	质押: 'Pledge',
	担保: 'Pledge',
	'质押/担保': 'Pledge',
	信托: 'Trust',
	异议: 'Opposition',
	复审: 'Re-examination',
	海关备案: 'Customs',
	诉讼: 'Litigation',
	保全: 'Preservation',
	无效程序: 'Invalid-procedure',
	口头审理: 'Oral-procedure',
	口审: 'Oral-procedure',
	国防解密: 'Declassification',
	解密: 'Declassification',
	一案双申: 'Double application',
};

export const CHINESE_STATUS_VALUES: Readonly<Record<StatusField, Readonly<Record<string, string>>>> = {
	simple_legal_status: SIMPLE_LEGAL_STATUS,
	legal_status: LEGAL_STATUS,
	event_status: EVENT_STATUS,
};

const STATUS_FIELDS = new Set<string>(Object.keys(CHINESE_STATUS_VALUES));

/** Han characters: a value with none is not Chinese and is left alone without comment. */
const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Full-width and half-width brackets and stray spaces must not decide whether a value is known. */
function lookupKey(value: string): string {
	return value.replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）');
}

const NORMALISED: Readonly<Record<StatusField, ReadonlyMap<string, string>>> = {
	simple_legal_status: new Map(Object.entries(SIMPLE_LEGAL_STATUS).map(([cn, en]) => [lookupKey(cn), en])),
	legal_status: new Map(Object.entries(LEGAL_STATUS).map(([cn, en]) => [lookupKey(cn), en])),
	event_status: new Map(Object.entries(EVENT_STATUS).map(([cn, en]) => [lookupKey(cn), en])),
};

/** The English value, or undefined when the value is Chinese but not in the table. */
export function englishStatus(field: StatusField, value: string): string | undefined {
	if (!HAN.test(value)) return value;
	return NORMALISED[field].get(lookupKey(value));
}

export interface TranslatedResult {
	json: IDataObject;
	translated: number;
	/** Chinese values the table does not know, kept as they came, each listed once. */
	untranslated: string[];
}

/**
 * Replaces the Chinese values of the three legal-status fields wherever they occur in one result
 * (P013 nests them under `patent_legal`, P041 has `simple_legal_status` at the top). Other fields
 * and values already in English are not touched; unknown Chinese values pass through.
 */
export function translateChineseStatusValues(result: IDataObject): TranslatedResult {
	let translated = 0;
	const untranslated = new Set<string>();
	const translateValue = (field: StatusField, value: unknown): unknown => {
		if (typeof value !== 'string') return value;
		const english = englishStatus(field, value);
		if (english === undefined) {
			untranslated.add(value);
			return value;
		}
		if (english !== value) translated++;
		return english;
	};
	const walk = (value: unknown): unknown => {
		if (Array.isArray(value)) return value.map(walk);
		if (!value || typeof value !== 'object') return value;
		const copy: IDataObject = {};
		for (const [key, inner] of Object.entries(value as IDataObject)) {
			if (STATUS_FIELDS.has(key)) {
				const field = key as StatusField;
				copy[key] = (Array.isArray(inner) ? inner.map((entry) => translateValue(field, entry)) : translateValue(field, inner)) as IDataObject[];
			} else {
				copy[key] = walk(inner) as IDataObject;
			}
		}
		return copy;
	};
	return { json: walk(result) as IDataObject, translated, untranslated: [...untranslated] };
}
