/**
 * Seeded PatSnap data set: patents in families across US, EP, CN, JP, WO and KR, with legal
 * status, events, transfers, litigation and examination documents. Status values are stored in
 * English; the API layer translates them when the sandbox runs in Chinese.
 */
import { Prng } from '../core/prng';
import { addDays, DATA_AS_OF } from './dates';
import {
	ASSIGNEES_CN,
	ASSIGNEES_EN,
	COURTS_US,
	EP_DOC_CODES,
	INVENTOR_NAMES,
	INVENTOR_NAMES_CN,
	IPC_CODES,
	TITLE_HEADS,
	TITLE_TOPICS,
	TITLE_TOPICS_CN,
	US_DOC_CODES,
} from './patsnapVocabulary';

export type Authority = 'US' | 'EP' | 'CN' | 'JP' | 'WO' | 'KR';

export interface FamilyMember {
	country: string;
	doc_number: string;
	kind: string;
	sequence: number;
}

export interface ExamDocument {
	date: number;
	doc_code: string;
	description: string;
	page_number: number;
}

export interface Person {
	lang: string;
	name: string;
	sequence: number;
}

export interface Transfer {
	country: string;
	transferers: Array<Person & { effective_date_us?: number }>;
	transferees: Person[];
	effective_date: number;
}

export interface Litigation {
	title: string;
	case_number: string;
	court: string;
	case_region: string;
	country: string;
	filing_date: number;
	verdict_date: number | null;
	plaintiff: Person[];
	defendant: Person[];
	chief_judge: Person;
	judge: Person[];
}

export interface LegalStatus {
	simple_legal_status: string[];
	legal_status: string[];
	event_status: string[];
	legal_date: number;
}

export interface PsPatent {
	patent_id: string;
	pn: string;
	country: Authority;
	kind: string;
	doc_number: string;
	apno: string;
	apdt: number;
	pbdt: number;
	grant_date: number | null;
	title: string;
	lang: 'EN' | 'CN';
	abstract: string;
	patent_type: 'APPLICATION' | 'PATENT' | 'UTILITY';
	applicants: string[];
	current_assignee: string;
	original_assignee: string;
	inventors: string[];
	legal: LegalStatus;
	family: {
		simple: FamilyMember[];
		inpadoc: FamilyMember[];
		simple_family_id: number;
		inpadoc_family_id: number;
		patsnap_family_id: number;
	};
	priority_claims: Array<{ country: string; doc_number: string; date: number }>;
	ipc: string[];
	exdt: number;
	transfers: Transfer[];
	litigations: Litigation[];
	inpadoc_events: Array<{ event_code: string; event_date: number; event_desc: string; ref_country_code: string }>;
	official_events: Array<{ event_date: number; event_code: string; event_desc: string; event_vol: string; event_others: string; event_legal_status: string }>;
	exam_documents: ExamDocument[];
}

type Profile = 'granted' | 'examining' | 'published' | 'abandoned' | 'rejected' | 'expired' | 'nonPayment' | 'revoked' | 'pct' | 'pctExpired';

const PROFILE_STATUS: Record<Profile, [string[], string[]]> = {
	granted: [['Active'], ['Granted']],
	examining: [['Pending'], ['Examining']],
	published: [['Pending'], ['Published']],
	abandoned: [['Inactive'], ['Abandoned']],
	rejected: [['Inactive'], ['Rejected']],
	expired: [['Inactive'], ['Expired']],
	nonPayment: [['Inactive'], ['Non-Payment']],
	revoked: [['Inactive'], ['Revoked']],
	pct: [['PCT designated period'], ['PCT published']],
	pctExpired: [['PCT designated expiration'], ['unentered']],
};

interface MemberSpec {
	country: Authority;
	profile: Profile;
	pn?: string;
	heavyDocs?: boolean;
	events?: string[];
}

/** Named patents for README and tests; the remaining ~300 come from the PRNG. */
export const PATSNAP_ANCHOR_FAMILIES: ReadonlyArray<MemberSpec[]> = [
	[
		{ country: 'US', profile: 'granted', pn: 'US11223344B2', heavyDocs: true, events: ['Transfer', 'Litigation'] },
		{ country: 'EP', profile: 'examining', pn: 'EP3456789A1' },
		{ country: 'CN', profile: 'examining', pn: 'CN112345678A' },
		{ country: 'JP', profile: 'published', pn: 'JP2021123456A' },
	],
	[{ country: 'US', profile: 'examining', pn: 'US20230123456A1' }],
	[
		{ country: 'CN', profile: 'granted', pn: 'CN108765432B' },
		{ country: 'WO', profile: 'pct', pn: 'WO2021123456A1' },
		{ country: 'KR', profile: 'granted', pn: 'KR102345678B1' },
	],
	[{ country: 'US', profile: 'nonPayment', pn: 'US10987654B2' }],
	[{ country: 'EP', profile: 'revoked', pn: 'EP3210987B1', events: ['Opposition'] }],
];

const TARGET_PATENTS = 312;

export class PatsnapData {
	readonly patents: PsPatent[] = [];
	private readonly byId = new Map<string, PsPatent>();
	private readonly byPn = new Map<string, PsPatent>();
	/** Ordered log of status changes, read by monitors (P057). */
	readonly changeLog: Array<{ seq: number; patent_id: string; type: string }> = [];
	private readonly prng: Prng;
	private readonly usedPn = new Set<string>();
	private familySeq = 0;

	constructor(seed: number) {
		this.prng = new Prng(seed ^ 0x5053);
		for (const f of PATSNAP_ANCHOR_FAMILIES) this.family(f);
		while (this.patents.length < TARGET_PATENTS) this.family(this.randomFamily());
	}

	/** By patent_id or publication number (case-insensitive). */
	find(idOrPn: string): PsPatent | undefined {
		const key = idOrPn.trim();
		return this.byId.get(key) ?? this.byPn.get(key.toUpperCase());
	}

	/**
	 * Replaces a patent's status (fields left out keep their value) and logs the change so
	 * monitors report it on their next check.
	 */
	setLegalStatus(idOrPn: string, next: Partial<LegalStatus>, todayInt: number): PsPatent {
		const p = this.find(idOrPn);
		if (!p) throw new Error(`Unknown patent ${idOrPn}`);
		p.legal = {
			simple_legal_status: next.simple_legal_status ?? p.legal.simple_legal_status,
			legal_status: next.legal_status ?? p.legal.legal_status,
			event_status: next.event_status ?? p.legal.event_status,
			legal_date: next.legal_date ?? todayInt,
		};
		this.changeLog.push({ seq: this.changeLog.length + 1, patent_id: p.patent_id, type: 'legal' });
		return p;
	}

	/** Appends an INPADOC legal event (P026); the date defaults to today. */
	addLegalEvent(idOrPn: string, event: { event_code: string; event_desc?: string; event_date?: number; ref_country_code?: string }, todayInt: number): PsPatent {
		const p = this.require(idOrPn);
		p.inpadoc_events.push({
			event_code: event.event_code,
			event_date: event.event_date ?? todayInt,
			event_desc: event.event_desc ?? 'LEGAL EVENT',
			ref_country_code: event.ref_country_code ?? p.country,
		});
		return p;
	}

	/**
	 * Records an assignment (P029) and makes the transferees the current assignee; monitors report
	 * it as a `transfer`. The legal status is left alone: call setLegalStatus for its event flag.
	 */
	recordTransfer(idOrPn: string, transfer: { transferees: string[]; transferers?: string[]; effective_date?: number }, todayInt: number): PsPatent {
		const p = this.require(idOrPn);
		const persons = (names: string[]) => names.map((name, i) => ({ lang: 'EN', name, sequence: i + 1 }));
		p.transfers.push({
			country: p.country,
			transferers: persons(transfer.transferers ?? [p.current_assignee]),
			transferees: persons(transfer.transferees),
			effective_date: transfer.effective_date ?? todayInt,
		});
		p.current_assignee = transfer.transferees[0] ?? p.current_assignee;
		this.changeLog.push({ seq: this.changeLog.length + 1, patent_id: p.patent_id, type: 'transfer' });
		return p;
	}

	/** Opens a court case (P034); monitors report it as `litigation`. */
	recordLitigation(idOrPn: string, litigation: { case_number: string; defendant: string; court?: string; filing_date?: number }, todayInt: number): PsPatent {
		const p = this.require(idOrPn);
		const judge = { lang: 'EN', name: 'HARPER, DIANE', sequence: 1 };
		p.litigations.push({
			title: `${p.current_assignee} v. ${litigation.defendant}`,
			case_number: litigation.case_number,
			court: litigation.court ?? 'District of Delaware',
			case_region: 'Delaware',
			country: 'US',
			filing_date: litigation.filing_date ?? todayInt,
			verdict_date: null,
			plaintiff: [{ lang: 'EN', name: p.current_assignee, sequence: 1 }],
			defendant: [{ lang: 'EN', name: litigation.defendant, sequence: 1 }],
			chief_judge: judge,
			judge: [judge],
		});
		this.changeLog.push({ seq: this.changeLog.length + 1, patent_id: p.patent_id, type: 'litigation' });
		return p;
	}

	/** Files an examination document (P048), kept in date order; the date defaults to today. */
	addExamDocument(idOrPn: string, doc: { doc_code: string; description?: string; date?: number; page_number?: number }, todayInt: number): ExamDocument {
		const p = this.require(idOrPn);
		const added: ExamDocument = {
			date: doc.date ?? todayInt,
			doc_code: doc.doc_code,
			description: doc.description ?? US_DOC_CODES[doc.doc_code] ?? EP_DOC_CODES[doc.doc_code] ?? doc.doc_code,
			page_number: doc.page_number ?? 1,
		};
		p.exam_documents.push(added);
		p.exam_documents.sort((a, b) => a.date - b.date);
		return added;
	}

	private require(idOrPn: string): PsPatent {
		const p = this.find(idOrPn);
		if (!p) throw new Error(`Unknown patent ${idOrPn}`);
		return p;
	}

	private randomFamily(): MemberSpec[] {
		const p = this.prng;
		const countries = new Set<Authority>();
		countries.add(p.pick<Authority>(['US', 'US', 'US', 'CN', 'CN', 'EP', 'JP', 'KR']));
		const extra = p.int(0, 3);
		for (let i = 0; i < extra; i++) countries.add(p.pick<Authority>(['US', 'EP', 'CN', 'JP', 'WO', 'KR']));
		return [...countries].map((country) => ({
			country,
			profile: country === 'WO' ? p.pick<Profile>(['pct', 'pct', 'pctExpired']) : p.pick<Profile>(['granted', 'granted', 'granted', 'examining', 'examining', 'published', 'abandoned', 'rejected', 'expired', 'nonPayment']),
			heavyDocs: country === 'US' && p.chance(0.08),
		}));
	}

	private family(specs: MemberSpec[]): void {
		const p = this.prng;
		this.familySeq += 1;
		const priorityDate = `${p.int(2014, 2023)}${String(p.int(1, 12)).padStart(2, '0')}${String(p.int(1, 28)).padStart(2, '0')}`;
		const topic = p.int(0, TITLE_TOPICS.length - 1);
		const title = `${p.pick(TITLE_HEADS)} ${TITLE_TOPICS[topic]}`;
		const assignee = p.pick(ASSIGNEES_EN);
		const inventors = p.sample(INVENTOR_NAMES, p.int(1, 3));
		const ipc = [IPC_CODES[topic % IPC_CODES.length], p.pick(IPC_CODES)];
		const ids = { simple: p.int(100_000_000, 499_999_999), inpadoc: p.int(500_000_000, 899_999_999) };
		const members: PsPatent[] = [];
		specs.forEach((spec, i) => members.push(this.member(spec, i, priorityDate, title, topic, assignee, inventors, ipc)));
		const list: FamilyMember[] = members.map((m, i) => ({ country: m.country, doc_number: m.doc_number, kind: m.kind, sequence: i + 1 }));
		// The INPADOC family sometimes reaches a continuation that is not in the data set.
		const inpadoc = p.chance(0.3) ? [...list, { country: 'US', doc_number: `${p.int(11_000_000, 12_000_000)}`, kind: 'B1', sequence: list.length + 1 }] : list;
		for (const m of members) {
			m.family = { simple: list, inpadoc, simple_family_id: ids.simple, inpadoc_family_id: ids.inpadoc, patsnap_family_id: ids.inpadoc };
			m.priority_claims = [{ country: specs[0].country === 'WO' ? 'US' : specs[0].country, doc_number: members[0].apno.replace(/^[A-Z]{2}/, ''), date: Number(priorityDate) }];
			this.patents.push(m);
			this.byId.set(m.patent_id, m);
			this.byPn.set(m.pn, m);
		}
	}

	private member(spec: MemberSpec, index: number, priorityDate: string, title: string, topic: number, assignee: string, inventors: string[], ipc: string[]): PsPatent {
		const p = this.prng;
		// The first member is the priority filing; the others follow within the Paris year.
		const apdtS = index === 0 ? priorityDate : addDays(priorityDate, p.int(200, 365));
		const pbdtS = addDays(apdtS, p.int(480, 560));
		const granted = ['granted', 'expired', 'nonPayment', 'revoked'].includes(spec.profile);
		const grantS = granted ? addDays(pbdtS, p.int(200, 900)) : null;
		const year = (grantS ?? pbdtS).slice(0, 4);
		const pn = spec.pn ?? this.uniquePn(spec.country, granted, year);
		const m = /^([A-Z]{2})(\d+)([A-Z]\d?)$/.exec(pn)!;
		const cn = spec.country === 'CN';
		const [simple, legal] = PROFILE_STATUS[spec.profile];
		const events = spec.events ?? (granted && p.chance(0.25) ? [p.pick(['Transfer', 'License', 'Litigation', 'Pledge'])] : []);
		const legalDate = Number(grantS ?? pbdtS) > Number(DATA_AS_OF) ? Number(DATA_AS_OF) : Number(grantS ?? pbdtS);
		const owner = cn ? p.pick(ASSIGNEES_CN) : assignee;
		const patent: PsPatent = {
			patent_id: p.uuid(),
			pn,
			country: spec.country,
			kind: m[3],
			doc_number: m[2],
			apno: this.apno(spec.country, apdtS),
			apdt: Number(apdtS),
			pbdt: Number(grantS ?? pbdtS),
			grant_date: grantS ? Number(grantS) : null,
			title: cn ? TITLE_TOPICS_CN[topic % TITLE_TOPICS_CN.length] : title,
			lang: cn ? 'CN' : 'EN',
			abstract: cn ? `本发明公开了${TITLE_TOPICS_CN[topic % TITLE_TOPICS_CN.length].replace(/^一种/, '')}，提高了可靠性。` : `Disclosed is a technique for ${TITLE_TOPICS[topic]} that improves reliability while reducing cost.`,
			patent_type: m[3] === 'U' ? 'UTILITY' : granted ? 'PATENT' : 'APPLICATION',
			applicants: [owner],
			current_assignee: owner,
			original_assignee: owner,
			inventors: cn ? p.sample(INVENTOR_NAMES_CN, 2) : inventors,
			legal: { simple_legal_status: [...simple], legal_status: [...legal], event_status: events, legal_date: legalDate },
			family: { simple: [], inpadoc: [], simple_family_id: 0, inpadoc_family_id: 0, patsnap_family_id: 0 },
			priority_claims: [],
			ipc,
			exdt: Number(`${Number(apdtS.slice(0, 4)) + 20}${apdtS.slice(4)}`),
			transfers: [],
			litigations: [],
			inpadoc_events: [],
			official_events: [],
			exam_documents: [],
		};
		if (events.includes('Transfer')) this.addTransfer(patent);
		if (events.includes('Litigation')) this.addLitigation(patent);
		this.addEvents(patent, apdtS, pbdtS, grantS);
		if (spec.country === 'US') patent.exam_documents = this.usDocuments(apdtS, grantS, spec.heavyDocs ?? false, spec.profile);
		if (spec.country === 'EP') patent.exam_documents = this.epDocuments(apdtS, grantS);
		return patent;
	}

	private uniquePn(country: Authority, granted: boolean, year: string): string {
		const p = this.prng;
		for (;;) {
			const pn = {
				US: granted ? `US${p.int(10_500_000, 12_100_000)}B2` : `US${year}0${p.digits(6)}A1`,
				EP: granted ? `EP${p.int(3_000_000, 4_100_000)}B1` : `EP${p.int(3_500_000, 4_300_000)}A1`,
				CN: granted ? (p.chance(0.3) ? `CN2${p.digits(8)}U` : `CN1${p.int(8, 16)}${p.digits(7)}B`) : `CN11${p.digits(7)}A`,
				JP: granted ? `JP${p.int(6_500_000, 7_600_000)}B2` : `JP${year}${p.digits(6)}A`,
				WO: `WO${year}${p.digits(6)}A1`,
				KR: granted ? `KR10${p.digits(7)}B1` : `KR${year}${p.digits(7)}A`,
			}[country];
			if (!this.usedPn.has(pn)) {
				this.usedPn.add(pn);
				return pn;
			}
		}
	}

	private apno(country: Authority, apdt: string): string {
		const p = this.prng;
		const y = apdt.slice(0, 4);
		return {
			US: `US${p.int(15, 18)}/${p.digits(6)}`,
			EP: `EP${y.slice(2)}${p.digits(6)}`,
			CN: `CN${y}1${p.digits(7)}.${p.int(0, 9)}`,
			JP: `JP${y}${p.digits(6)}`,
			WO: `PCT/US${y}/${p.digits(6)}`,
			KR: `KR10${y}${p.digits(7)}`,
		}[country];
	}

	private addTransfer(patent: PsPatent): void {
		const p = this.prng;
		const to = p.pick(ASSIGNEES_EN.filter((a) => a !== patent.current_assignee));
		const date = Math.min(Number(addDays(String(patent.pbdt), p.int(30, 400))), Number(DATA_AS_OF));
		patent.transfers.push({
			country: patent.country,
			transferers: [{ lang: 'EN', name: patent.current_assignee, sequence: 1, ...(patent.country === 'US' ? { effective_date_us: date } : {}) }],
			transferees: [{ lang: 'EN', name: to, sequence: 1 }],
			effective_date: date,
		});
		patent.current_assignee = to;
	}

	private addLitigation(patent: PsPatent): void {
		const p = this.prng;
		const [court, region] = p.pick(COURTS_US);
		const plaintiff = patent.current_assignee;
		const defendant = p.pick(ASSIGNEES_EN.filter((a) => a !== plaintiff));
		const filing = Math.min(Number(addDays(String(patent.pbdt), p.int(100, 600))), Number(DATA_AS_OF));
		patent.litigations.push({
			title: `${plaintiff} v. ${defendant}`,
			case_number: `${p.int(1, 2)}:${String(filing).slice(2, 4)}-cv-${p.digits(5)}`,
			court,
			case_region: region,
			country: 'US',
			filing_date: filing,
			verdict_date: null,
			plaintiff: [{ lang: 'EN', name: plaintiff, sequence: 1 }],
			defendant: [{ lang: 'EN', name: defendant, sequence: 1 }],
			chief_judge: { lang: 'EN', name: 'HARPER, DIANE', sequence: 1 },
			judge: [{ lang: 'EN', name: 'HARPER, DIANE', sequence: 1 }],
		});
	}

	private addEvents(patent: PsPatent, apdt: string, pbdt: string, grant: string | null): void {
		const c = patent.country;
		const ev = (code: string, date: string, desc: string): void => {
			if (date <= DATA_AS_OF) patent.inpadoc_events.push({ event_code: code, event_date: Number(date), event_desc: desc, ref_country_code: c });
		};
		ev(c === 'EP' ? 'AK' : 'A', pbdt, c === 'EP' ? 'DESIGNATED CONTRACTING STATES' : 'PUBLICATION OF APPLICATION');
		if (c === 'EP') ev('17P', addDays(pbdt, 120), 'REQUEST FOR EXAMINATION FILED');
		if (c === 'US') ev('STPP', addDays(apdt, 400), 'INFORMATION ON STATUS: PATENT APPLICATION AND GRANTING PROCEDURE IN GENERAL');
		if (grant) ev(c === 'US' ? 'STCF' : 'B', grant, c === 'US' ? 'INFORMATION ON STATUS: PATENT GRANT' : 'PATENT GRANTED');
		if (patent.transfers.length) ev(c === 'US' ? 'AS' : 'PC', String(patent.transfers[0].effective_date), 'ASSIGNMENT OF ASSIGNORS INTEREST');
		if (patent.legal.legal_status.includes('Non-Payment')) ev('FP', addDays(grant ?? pbdt, 1460), 'LAPSED DUE TO FAILURE TO PAY MAINTENANCE FEE');
		if (c === 'CN') {
			const off = (date: string, code: string, desc: string, status: string): void => {
				if (date <= DATA_AS_OF) patent.official_events.push({ event_date: Number(date), event_code: code, event_desc: desc, event_vol: String(this.prng.int(30, 41)), event_others: '', event_legal_status: status });
			};
			off(pbdt, 'C06', '发明专利申请公布', '公开');
			off(addDays(pbdt, 20), 'C10', '实质审查的生效', '实质审查');
			if (grant) off(grant, 'C14', '授权', '授权');
		}
	}

	private usDocuments(apdt: string, grant: string | null, heavy: boolean, profile: Profile): ExamDocument[] {
		const p = this.prng;
		const docs: ExamDocument[] = [];
		const add = (code: string, date: string): void => {
			if (date <= DATA_AS_OF) docs.push({ date: Number(date), doc_code: code, description: US_DOC_CODES[code], page_number: p.int(1, 40) });
		};
		for (const code of ['ADS', 'SPEC', 'CLM', 'ABST', 'DRW', 'IDS']) add(code, apdt);
		let t = addDays(apdt, p.int(300, 500));
		const rounds = heavy ? p.int(5, 6) : p.int(1, 3);
		for (let r = 0; r < rounds; r++) {
			if (r === 0 && p.chance(0.3)) add('CTRS', addDays(t, -60));
			add('SRFW', t);
			add('FWCLM', t);
			add(r % 2 === 0 ? 'CTNF' : 'CTFR', t);
			const reply = addDays(t, p.int(60, 90));
			if (heavy || p.chance(0.5)) add('EXIN', addDays(reply, -10));
			add('REM', reply);
			add('CLM', reply);
			if (r % 2 === 1) add('RCEX', reply);
			if (heavy || p.chance(0.4)) add('IDS', addDays(reply, 5));
			t = addDays(reply, p.int(90, 180));
		}
		if (grant || profile === 'granted') {
			const noa = grant ? addDays(grant, -p.int(90, 120)) : t;
			add('NOA', noa);
			add('IFEE', addDays(noa, 30));
			if (grant) add('ISSUE.NTF', addDays(grant, -20));
		}
		return docs.sort((a, b) => a.date - b.date);
	}

	private epDocuments(apdt: string, grant: string | null): ExamDocument[] {
		const p = this.prng;
		const docs: ExamDocument[] = [];
		const add = (code: string, date: string): void => {
			if (date <= DATA_AS_OF) docs.push({ date: Number(date), doc_code: code, description: EP_DOC_CODES[code], page_number: p.int(1, 20) });
		};
		add('EPSR', addDays(apdt, 300));
		add('EPSO', addDays(apdt, 300));
		add('EPEX', addDays(apdt, 700));
		add('EPRE', addDays(apdt, 820));
		if (grant) {
			add('EPIG', addDays(grant, -150));
			add('EPDG', addDays(grant, -30));
		}
		return docs;
	}
}
