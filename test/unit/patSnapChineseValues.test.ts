import { EVENT_STATUS_CN, LEGAL_STATUS_CN, SIMPLE_LEGAL_STATUS_CN } from '../../sandbox';
import { CHINESE_STATUS_VALUES, englishStatus, translateChineseStatusValues, type StatusField } from '../../nodes/PatSnap/chineseValues';

/** The English values PatSnap documents for P013 (legal_status lists "Abandoned-*" and "Withdrawn-*"). */
const DOCUMENTED: Record<StatusField, string[]> = {
	simple_legal_status: ['Inactive', 'Active', 'Pending', 'Undetermined', 'PCT designated period', 'PCT designated expiration'],
	legal_status: [
		'Published',
		'Examining',
		'Granted',
		'Double',
		'Abandoned-Undetermined',
		'Abandoned-Voluntarily',
		'Abandoned-Deemed',
		'Withdrawn-Undetermined',
		'Withdrawn-Voluntarily',
		'Withdrawn-Deemed',
		'Rejected',
		'Revoked',
		'Expired',
		'Non-Payment',
		'Restoration',
		'Ceased',
		'P-Revoked',
		'Discontinuation',
		'PCT published',
		'PCT entering(designated period)',
		'PCT entering(designated expiration)',
		'unentered',
	],
	event_status: [
		'Transfer',
		'License',
		'Pledge',
		'Trust',
		'Opposition',
		'Re-examination',
		'Customs',
		'Litigation',
		'Preservation',
		'Invalid-procedure',
		'Oral-procedure',
		'Declassification',
		'Double application',
	],
};

describe('Chinese legal-status values', () => {
	it.each([
		['simple_legal_status', '有效', 'Active'],
		['simple_legal_status', '审中', 'Pending'],
		['legal_status', '授权', 'Granted'],
		['legal_status', '放弃-视为放弃', 'Abandoned-Deemed'],
		['legal_status', '撤回-主动撤回', 'Withdrawn-Voluntarily'],
		['legal_status', 'PCT进入指定国（指定期内）', 'PCT entering(designated period)'],
		['legal_status', 'PCT进入指定国(指定期满)', 'PCT entering(designated expiration)'],
		['event_status', '权利转移', 'Transfer'],
		['event_status', '口头审理', 'Oral-procedure'],
		['event_status', '一案双申', 'Double application'],
	] as Array<[StatusField, string, string]>)('%s %s → %s', (field, chinese, english) => {
		expect(englishStatus(field, chinese)).toBe(english);
	});

	it('reaches every documented English value from a Chinese value, and nothing undocumented', () => {
		for (const [field, values] of Object.entries(DOCUMENTED) as Array<[StatusField, string[]]>) {
			// English values pass through untouched.
			for (const value of values) expect(englishStatus(field, value)).toBe(value);
			const table = CHINESE_STATUS_VALUES[field];
			const reachable = new Set(Object.keys(table).map((chinese) => englishStatus(field, chinese)));
			expect(values.filter((value) => !reachable.has(value))).toEqual([]);
			// The bare "Abandoned"/"Withdrawn" are the short labels 放弃/撤回 PatSnap also uses.
			const extra = [...reachable].filter((value) => !values.includes(String(value)));
			expect(extra.sort()).toEqual(field === 'legal_status' ? ['Abandoned', 'Withdrawn'] : []);
		}
	});

	it('reads what the sandbox sends for every status its data set uses', () => {
		const tables: Record<StatusField, Readonly<Record<string, string>>> = {
			simple_legal_status: SIMPLE_LEGAL_STATUS_CN,
			legal_status: LEGAL_STATUS_CN,
			event_status: EVENT_STATUS_CN,
		};
		// Where the sandbox's Chinese label differs from the one PatSnap pairs with the English value.
		const sandboxOnly = new Set(['legal_status:Double', 'legal_status:Discontinuation', 'legal_status:PCT entering']);
		for (const [field, table] of Object.entries(tables) as Array<[StatusField, Record<string, string>]>) {
			for (const [english, chinese] of Object.entries(table)) {
				if (sandboxOnly.has(`${field}:${english}`)) {
					expect(englishStatus(field, chinese)).not.toBe(english);
					continue;
				}
				expect([field, chinese, englishStatus(field, chinese)]).toEqual([field, chinese, english]);
			}
		}
	});

	it('translates nested fields, leaves other fields and English alone, and lists unknown values once', () => {
		const result = {
			pn: 'CN112345678A',
			title: '一种电池健康状态估计方法',
			patent_legal: {
				simple_legal_status: ['审中'],
				legal_status: ['实质审查', '新状态', 'Examining'],
				event_status: ['转让', '新状态'],
			},
			history: [{ legal_status: '授权' }],
		};
		const { json, translated, untranslated } = translateChineseStatusValues(result);
		expect(json).toEqual({
			pn: 'CN112345678A',
			title: '一种电池健康状态估计方法',
			patent_legal: {
				simple_legal_status: ['Pending'],
				legal_status: ['Examining', '新状态', 'Examining'],
				event_status: ['Transfer', '新状态'],
			},
			history: [{ legal_status: 'Granted' }],
		});
		expect(translated).toBe(4);
		expect(untranslated).toEqual(['新状态']);
		// The input is not changed in place: n8n may hold it elsewhere.
		expect(result.patent_legal.simple_legal_status).toEqual(['审中']);
	});
});
