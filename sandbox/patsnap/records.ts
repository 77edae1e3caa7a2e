/** Per-patent response items of the batch endpoints, shaped like the OpenAPI subset. */
import type { PsPatent } from '../data/patsnap';
import { localise } from './language';

type Obj = Record<string, unknown>;

const ymd = (n: number) => ({ year: Math.floor(n / 10000), month: Math.floor(n / 100) });

function persons(names: string[], lang: string, extra: Obj = {}): Obj[] {
	return names.map((name, i) => ({ lang, name, sequence: i + 1, ...extra }));
}

function splitIpc(code: string): Obj {
	const m = /^([A-H])(\d{2})([A-Z])(\d+)\/(\d+)$/.exec(code);
	return m ? { section: m[1], class: m[2], sub_class: m[3], main_group: m[4], sub_group: m[5] } : {};
}

function pubRef(p: PsPatent): Obj {
	return { country: p.country, doc_number: p.doc_number, kind: p.kind, date: p.pbdt };
}

export function simpleBibliography(p: PsPatent): Obj {
	return {
		pn: p.pn,
		patent_id: p.patent_id,
		bibliographic_data: {
			parties: {
				applicants: persons(p.applicants, p.lang),
				assignees: persons([p.current_assignee], p.lang),
				inventors: persons(p.inventors, p.lang),
			},
			invention_title: [{ lang: p.lang, text: p.title }],
			abstracts: [{ lang: p.lang, text: p.abstract }],
			patent_type: p.patent_type,
			application_reference: { apno: p.apno, date: p.apdt },
			publication_reference: pubRef(p),
			priority_claims: p.priority_claims.map((c) => ({ ...c })),
			classification_data: { classification_ipcr: { main: p.ipc[0], further: p.ipc.slice(1) }, classification_cpc: { main: p.ipc[0], further: p.ipc.slice(1) } },
			dates_of_public_availability: p.grant_date ? { printed_with_granted: p.grant_date } : {},
			reference_cited: { cited_patents: [], cited_others: [] },
		},
	};
}

export function bibliography(p: PsPatent): Obj {
	const full = (lang: string, names: string[]) => persons(names, lang, { data_format: 'original' });
	return {
		pn: p.pn,
		patent_id: p.patent_id,
		bibliographic_data: {
			exdt: p.exdt,
			parties: {
				applicants: full(p.lang, p.applicants),
				assignees: full(p.lang, [p.current_assignee]),
				inventors: full(p.lang, p.inventors),
				agents: [],
				agency: [],
				examiners: [],
			},
			invention_title: [{ lang: p.lang, text: p.title, data_format: 'original' }],
			abstracts: [{ lang: p.lang, text: p.abstract, data_format: 'original' }],
			patent_type: p.patent_type,
			application_reference: { country: p.country, doc_number: p.apno.replace(/^[A-Z]{2}/, ''), kind: '-', date: p.apdt, ...ymd(p.apdt) },
			publication_reference: { ...pubRef(p), ...ymd(p.pbdt) },
			priority_claims: p.priority_claims.map((c) => ({ ...c })),
			related_documents: [],
			classification_data: {
				classification_ipcr: { main_classification: splitIpc(p.ipc[0]), further_classification: p.ipc.slice(1).map(splitIpc) },
				classification_cpc: { main_classification: splitIpc(p.ipc[0]), further_classification: p.ipc.slice(1).map(splitIpc) },
			},
			dates_of_public_availability: p.grant_date ? { printed_with_granted: p.grant_date, ...ymd(p.grant_date) } : {},
			reference_cited: { cited_patents: [], cited_others: [] },
		},
	};
}

export function legalStatus(p: PsPatent, language: 'en' | 'cn'): Obj {
	return {
		pn: p.pn,
		patent_id: p.patent_id,
		legal_date: p.legal.legal_date,
		patent_legal: {
			simple_legal_status: localise('simple_legal_status', p.legal.simple_legal_status, language),
			legal_status: localise('legal_status', p.legal.legal_status, language),
			event_status: localise('event_status', p.legal.event_status, language),
		},
	};
}

export function simpleLegalStatus(p: PsPatent, language: 'en' | 'cn'): Obj {
	return { pn: p.pn, patent_id: p.patent_id, simple_legal_status: localise('simple_legal_status', p.legal.simple_legal_status, language) };
}

export function family(p: PsPatent): Obj {
	return {
		pn: p.pn,
		patent_id: p.patent_id,
		patent_family: {
			simple_family: p.family.simple.map((m) => ({ ...m })),
			inpadoc_family: p.family.inpadoc.map((m) => ({ ...m })),
			patsnap_family: p.family.inpadoc.map((m) => ({ ...m })),
			simple_family_id: p.family.simple_family_id,
			inpadoc_family_id: p.family.inpadoc_family_id,
			patsnap_family_id: p.family.patsnap_family_id,
		},
	};
}

export function legalData(p: PsPatent): Obj {
	return {
		pn: p.pn,
		patent_id: p.patent_id,
		patsnap_legal_data: {
			inpadoc_legal_data: p.inpadoc_events.map((e) => ({ ...e })),
			official_legal_data: p.official_events.map((e) => ({ ...e })),
		},
	};
}

export function transferData(p: PsPatent): Obj {
	return { pn: p.pn, patent_id: p.patent_id, patent_transfer_data: JSON.parse(JSON.stringify(p.transfers)) };
}

export function litigationData(p: PsPatent): Obj {
	return { pn: p.pn, patent_id: p.patent_id, patent_litigation_data: JSON.parse(JSON.stringify(p.litigations)) };
}
