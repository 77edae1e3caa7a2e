/**
 * Seeded JPO data set: patents, designs and trademarks with progress histories consistent with
 * their state, plus the lookups the endpoints need. Deterministic for a given seed.
 */
import { createHash } from 'node:crypto';
import type { JpoLaw } from '../jpo/endpoints';
import { Prng } from '../core/prng';
import { addDays, addYears, DATA_AS_OF } from './dates';
import {
	ATTORNEYS,
	COMPANIES,
	DESIGN_ARTICLES,
	DOCUMENT_CODES,
	EXAMINERS,
	GOODS,
	INDIVIDUALS,
	MARKS,
	PATENT_APPLICATION_PARTS,
	PATENT_TITLES,
	TWIN_CODE_COMPANY,
	type PartySeed,
} from './jpoVocabulary';

export type JpFlow =
	| 'grantedClean'
	| 'refusedThenGranted'
	| 'refusalOutstanding'
	| 'underExamination'
	| 'unexamined'
	| 'refused'
	| 'abandoned'
	| 'expired';

export interface JpParty {
	code: string;
	name: string;
	/** '1' applicant, '2' attorney. */
	cls: '1' | '2';
}

export interface JpDocument {
	legalDate: string;
	irirFlg: string;
	availabilityFlag: string;
	documentCode: string;
	documentDescription: string;
	documentNumber: string;
	versionNumber: string;
	documentSeparator: string;
	numberOfPages: string;
	sizeOfDocument: string;
	/** Not part of the API: drafting date and examiner of mailed documents, for the document text. */
	draftDate?: string;
	examiner?: string;
}

export interface JpPriority {
	parisPriorityApplicationNumber: string;
	parisPriorityDate: string;
	parisPriorityCountryCd: string;
	nationalPriorityLawCd: string;
	nationalPriorityApplicationNumber: string;
	nationalPriorityInternationalApplicationNumber: string;
	nationalPriorityDate: string;
}

export interface JpCitedPublication {
	draftDate: string;
	/** Code table 07010: '19' cited in a refusal notice. */
	citationType: string;
	/** 9-digit era form as cite_doc_info shows it, e.g. '502012345'. */
	eraNumber: string;
	/** Western-year form, e.g. '2020012345'. */
	adNumber: string;
}

export interface JpCase {
	law: JpoLaw;
	applicationNumber: string;
	flow: JpFlow;
	/** Invention title, design article or trademark display text. */
	title: string;
	parties: JpParty[];
	filingDate: string;
	publicationNumber: string;
	adPublicationNumber: string;
	nationalPublicationNumber: string;
	adNationalPublicationNumber: string;
	publicationDate: string;
	registrationNumber: string;
	registrationDate: string;
	decisionDate: string;
	internationalApplicationNumber: string;
	internationalPublicationNumber: string;
	internationalPublicationDate: string;
	erasureIdentifier: string;
	expireDate: string;
	disappearanceDate: string;
	priorities: JpPriority[];
	parent: { applicationNumber: string; filingDate: string } | null;
	/** Application numbers of the divisional family, original first; empty when none. */
	divisionalFamily: string[];
	documents: JpDocument[];
	registrationDocuments: JpDocument[];
	citations: JpCitedPublication[];
	nonPatentCitations: Array<{ authorName: string; paperTitle: string; publicationName: string; issueDate: string }>;
	numberOfClaims: string;
	nextPensionPaymentDate: string;
	lastPaymentYearly: string;
	updateDate: string;
	designClass: string;
	principalDesignApplicationNumber: string;
	internationalRegistrationNumber: string;
	designNumber: string;
	transliteration: string[];
	viennaClass: string[];
	goods: Array<{ goodsServiceClass: string; goodsServiceName: string; similarCode: string }>;
	jppHash: string;
}

interface Scenario {
	law: JpoLaw;
	applicationNumber: string;
	flow: JpFlow;
	pct?: { internationalApplicationNumber: string; internationalPublicationNumber: string };
	priority?: 'domestic' | 'paris';
	parentOf?: string;
	principalDesign?: string;
	hague?: string;
	secondRound?: boolean;
}

/** Named cases the README and tests rely on; everything else is filled in by the PRNG. */
export const JPO_ANCHORS: readonly Scenario[] = [
	{ law: 'patent', applicationNumber: '2020045678', flow: 'refusedThenGranted', priority: 'domestic' },
	{ law: 'patent', applicationNumber: '2023012345', flow: 'refusalOutstanding', parentOf: '2020045678' },
	{ law: 'patent', applicationNumber: '2021034567', flow: 'refusalOutstanding' },
	{ law: 'patent', applicationNumber: '2019087654', flow: 'grantedClean' },
	{ law: 'patent', applicationNumber: '2024056789', flow: 'unexamined' },
	{ law: 'patent', applicationNumber: '2018076543', flow: 'refused' },
	{ law: 'patent', applicationNumber: '2018023456', flow: 'abandoned' },
	{ law: 'patent', applicationNumber: '2019012345', flow: 'expired' },
	{ law: 'patent', applicationNumber: '2020099001', flow: 'refusedThenGranted', secondRound: true },
	{
		law: 'patent',
		applicationNumber: '2021500123',
		flow: 'grantedClean',
		pct: { internationalApplicationNumber: 'US2020045678', internationalPublicationNumber: 'WO2021012345' },
	},
	{
		law: 'patent',
		applicationNumber: '2022500456',
		flow: 'underExamination',
		pct: { internationalApplicationNumber: 'JP2021012345', internationalPublicationNumber: 'WO2021234567' },
	},
	{ law: 'patent', applicationNumber: '2019045001', flow: 'refusedThenGranted', priority: 'paris' },
	{ law: 'design', applicationNumber: '2021015000', flow: 'refusedThenGranted' },
	{ law: 'design', applicationNumber: '2022010001', flow: 'grantedClean' },
	{ law: 'design', applicationNumber: '2023020002', flow: 'refusalOutstanding' },
	{ law: 'design', applicationNumber: '2018012000', flow: 'grantedClean' },
	{ law: 'design', applicationNumber: '2022010002', flow: 'grantedClean', principalDesign: '2022010001' },
	{ law: 'design', applicationNumber: '2022500111', flow: 'grantedClean', hague: 'DM/212345' },
	{ law: 'trademark', applicationNumber: '2023045678', flow: 'refusedThenGranted' },
	{ law: 'trademark', applicationNumber: '2024012345', flow: 'refusalOutstanding' },
	{ law: 'trademark', applicationNumber: '2022034567', flow: 'refused' },
	{ law: 'trademark', applicationNumber: '2019056789', flow: 'grantedClean', priority: 'paris' },
	{ law: 'trademark', applicationNumber: '2018067890', flow: 'grantedClean' },
];

const TARGET_COUNTS: Record<JpoLaw, number> = { patent: 32, design: 10, trademark: 10 };
const FILLER_FLOWS: Record<JpoLaw, JpFlow[]> = {
	patent: ['grantedClean', 'refusedThenGranted', 'refusedThenGranted', 'refusalOutstanding', 'underExamination', 'unexamined', 'refused', 'expired'],
	design: ['grantedClean', 'refusedThenGranted', 'refusalOutstanding', 'underExamination'],
	trademark: ['grantedClean', 'refusedThenGranted', 'refusalOutstanding', 'underExamination', 'refused'],
};

/** Third digit of mailed document numbers by law, as in the real numbering (061…, 063…, 064…). */
const MAILED_PREFIX: Record<JpoLaw, string> = { patent: '061', design: '063', trademark: '064' };

export class JpoData {
	readonly cases = new Map<string, JpCase>();
	private readonly prng: Prng;
	private readonly usedNumbers = new Set<string>();

	constructor(seed: number) {
		this.prng = new Prng(seed ^ 0x4a504f);
		this.generate();
	}

	get(law: JpoLaw, applicationNumber: string): JpCase | undefined {
		return this.cases.get(`${law}:${applicationNumber}`);
	}

	all(law?: JpoLaw): JpCase[] {
		return [...this.cases.values()].filter((c) => !law || c.law === law);
	}

	/** Every applicant/attorney code known to the register, with its name. */
	parties(): PartySeed[] {
		return [...COMPANIES, ...TWIN_CODE_COMPANY, ...INDIVIDUALS, ...ATTORNEYS];
	}

	/**
	 * Appends a document to an application's progress history (e.g. a new refusal notice), the way
	 * the daily JPO update would. Mailed documents get a mailed-style number and an examiner.
	 */
	addDocument(
		law: JpoLaw,
		applicationNumber: string,
		input: Partial<JpDocument> & { documentCode: string },
		today: string,
	): JpDocument {
		const c = this.get(law, applicationNumber);
		if (!c) throw new Error(`No ${law} application ${applicationNumber}`);
		const role = DOCUMENT_CODES[input.documentCode]?.role ?? 'submitted';
		const legalDate = input.legalDate ?? today;
		const mailed = role === 'refusalNotice' || role === 'decision';
		const doc: JpDocument = {
			legalDate,
			irirFlg: '0',
			// Design and trademark document bodies exist only from January 2019 on (handbook §2(2)).
			availabilityFlag: law !== 'patent' && legalDate < '20190101' ? '0' : '1',
			documentDescription: DOCUMENT_CODES[input.documentCode]?.description[law] ?? input.documentCode,
			documentNumber: mailed ? this.mailedNumber(law, legalDate) : this.submittedNumber(legalDate),
			versionNumber: '0001',
			documentSeparator: mailed && law === 'patent' ? 'K' : 'S',
			numberOfPages: '0',
			sizeOfDocument: String(this.prng.int(900, 9000)),
			...(mailed ? { draftDate: addDays(legalDate, -5), examiner: this.prng.pick(EXAMINERS) } : {}),
			...input,
		};
		c.documents.push(doc);
		c.documents.sort((a, b) => a.legalDate.localeCompare(b.legalDate));
		if (role === 'refusalNotice' && law === 'patent') this.addCitations(c, doc);
		c.updateDate = legalDate;
		return doc;
	}

	private generate(): void {
		const scenarios: Scenario[] = [...JPO_ANCHORS];
		for (const a of scenarios) this.usedNumbers.add(a.applicationNumber);
		for (const law of ['patent', 'design', 'trademark'] as JpoLaw[]) {
			let have = scenarios.filter((s) => s.law === law).length;
			while (have < TARGET_COUNTS[law]) {
				const year = this.prng.int(2018, 2024);
				const applicationNumber = `${year}${String(this.prng.int(1000, 199999)).padStart(6, '0')}`;
				if (this.usedNumbers.has(applicationNumber)) continue;
				this.usedNumbers.add(applicationNumber);
				let flow = this.prng.pick(FILLER_FLOWS[law]);
				// Unexamined patents older than three years would have lapsed: make them abandoned.
				if (flow === 'unexamined' && year < 2023) flow = 'abandoned';
				scenarios.push({ law, applicationNumber, flow, priority: this.prng.chance(0.2) ? 'paris' : undefined });
				have += 1;
			}
		}
		for (const s of scenarios) {
			const c = this.build(s);
			this.cases.set(`${c.law}:${c.applicationNumber}`, c);
		}
		for (const s of scenarios.filter((x) => x.parentOf)) {
			const child = this.get(s.law, s.applicationNumber)!;
			const parent = this.get(s.law, s.parentOf!)!;
			child.parent = { applicationNumber: parent.applicationNumber, filingDate: parent.filingDate };
			const family = [parent.applicationNumber, child.applicationNumber];
			parent.divisionalFamily = family;
			child.divisionalFamily = family;
		}
	}

	private build(s: Scenario): JpCase {
		const p = this.prng;
		const year = Number(s.applicationNumber.slice(0, 4));
		const filingDate = `${year}${String(p.int(1, 12)).padStart(2, '0')}${String(p.int(1, 28)).padStart(2, '0')}`;
		const c: JpCase = {
			law: s.law,
			applicationNumber: s.applicationNumber,
			flow: s.flow,
			title: '',
			parties: this.pickParties(s.law),
			filingDate,
			publicationNumber: '',
			adPublicationNumber: '',
			nationalPublicationNumber: '',
			adNationalPublicationNumber: '',
			publicationDate: '',
			registrationNumber: '',
			registrationDate: '',
			decisionDate: '',
			internationalApplicationNumber: s.pct?.internationalApplicationNumber ?? '',
			internationalPublicationNumber: s.pct?.internationalPublicationNumber ?? '',
			internationalPublicationDate: s.pct ? addDays(filingDate, -300) : '',
			erasureIdentifier: '',
			expireDate: '',
			disappearanceDate: '',
			priorities: [],
			parent: null,
			divisionalFamily: [],
			documents: [],
			registrationDocuments: [],
			citations: [],
			nonPatentCitations: [],
			numberOfClaims: String(p.int(3, 20)).padStart(3, '0'),
			nextPensionPaymentDate: '',
			lastPaymentYearly: '',
			updateDate: filingDate,
			designClass: '',
			principalDesignApplicationNumber: s.principalDesign ?? '',
			internationalRegistrationNumber: s.hague ?? '',
			designNumber: s.hague ? '001' : '',
			transliteration: [],
			viennaClass: [],
			goods: [],
			jppHash: createHash('sha256').update(`${s.law}:${s.applicationNumber}`).digest('hex').toUpperCase(),
		};
		if (s.law === 'patent') c.title = p.pick(PATENT_TITLES);
		if (s.law === 'design') [c.title, c.designClass] = p.pick(DESIGN_ARTICLES);
		if (s.law === 'trademark') {
			const mark = p.pick(MARKS);
			c.title = mark.display;
			c.transliteration = [...mark.transliteration];
			c.viennaClass = [...mark.vienna];
			c.goods = p.sample(GOODS, p.int(1, 3)).sort((a, b) => a.goodsServiceClass.localeCompare(b.goodsServiceClass));
		}
		if (s.priority) c.priorities.push(this.priority(s.priority, filingDate, s.law));
		this.progress(c, s);
		return c;
	}

	private pickParties(law: JpoLaw): JpParty[] {
		const p = this.prng;
		const pool = law === 'patent' ? [...COMPANIES, TWIN_CODE_COMPANY[p.int(0, 1)]] : [...COMPANIES, ...INDIVIDUALS];
		const applicants = p.sample(pool, p.chance(0.2) ? 2 : 1).map((x) => ({ ...x, cls: '1' as const }));
		const attorneys = p.sample(ATTORNEYS, p.int(1, 2)).map((x) => ({ ...x, cls: '2' as const }));
		return [...applicants, ...attorneys];
	}

	private priority(kind: 'domestic' | 'paris', filingDate: string, law: JpoLaw): JpPriority {
		const p = this.prng;
		const date = addDays(filingDate, -p.int(250, 350));
		const empty: JpPriority = {
			parisPriorityApplicationNumber: '',
			parisPriorityDate: '',
			parisPriorityCountryCd: '',
			nationalPriorityLawCd: '',
			nationalPriorityApplicationNumber: '',
			nationalPriorityInternationalApplicationNumber: '',
			nationalPriorityDate: '',
		};
		if (kind === 'domestic' && law === 'patent') {
			return {
				...empty,
				nationalPriorityLawCd: '1',
				nationalPriorityApplicationNumber: `${date.slice(0, 4)}${p.digits(6)}`,
				nationalPriorityDate: date,
			};
		}
		const [country, number] = p.pick<[string, string]>([
			['US', `63/${p.digits(3)},${p.digits(3)}`],
			['DE', `10 ${date.slice(0, 4)} ${p.digits(3)} ${p.digits(3)}.${p.int(0, 9)}`],
			['CN', `${date.slice(0, 4)}10${p.digits(6)}.${p.int(0, 9)}`],
			['KR', `10-${date.slice(0, 4)}-${p.digits(7)}`],
			['GB', `00${p.digits(9)}`],
		]);
		return { ...empty, parisPriorityApplicationNumber: number, parisPriorityDate: date, parisPriorityCountryCd: country };
	}

	/** Builds the document history for a flow, dropping anything after DATA_AS_OF. */
	private progress(c: JpCase, s: Scenario): void {
		const p = this.prng;
		const law = c.law;
		const add = (code: string, date: string, extra: Partial<JpDocument> = {}): JpDocument | null => {
			if (date > DATA_AS_OF) return null;
			return this.addDocument(law, c.applicationNumber, { documentCode: code, legalDate: date, ...extra }, date);
		};
		// addDocument needs the case registered first.
		this.cases.set(`${c.law}:${c.applicationNumber}`, c);

		this.applicationDocuments(c);
		if (law === 'trademark') c.publicationDate = addDays(c.filingDate, p.int(7, 21));

		let cursor = c.filingDate;
		const examined = s.flow !== 'unexamined' && s.flow !== 'abandoned';
		if (law === 'patent' && examined) {
			cursor = addDays(c.filingDate, s.flow === 'underExamination' ? p.int(30, 400) : p.int(0, 540));
			add('A621', cursor);
			if (p.chance(0.3)) add('A971007', addDays(cursor, p.int(200, 300)), { documentSeparator: 'C' });
		}
		const firstAction = addDays(cursor, law === 'patent' ? p.int(300, 540) : p.int(150, 300));
		let decision: { code: 'A01' | 'A02'; date: string } | null = null;

		switch (s.flow) {
			case 'grantedClean':
			case 'expired':
				decision = { code: 'A01', date: firstAction };
				break;
			case 'refusedThenGranted': {
				let t = firstAction;
				for (let round = 0; round < (s.secondRound ? 2 : 1); round++) {
					add('A131', t);
					const reply = addDays(t, p.int(45, 58));
					add('A53', reply);
					add('A523', reply);
					t = addDays(reply, p.int(60, 150));
				}
				decision = { code: 'A01', date: t };
				break;
			}
			case 'refusalOutstanding':
				add('A131', addDays(DATA_AS_OF, -p.int(5, 40)));
				break;
			case 'refused': {
				add('A131', firstAction);
				if (p.chance(0.5)) add('A53', addDays(firstAction, p.int(45, 58)));
				decision = { code: 'A02', date: addDays(firstAction, p.int(120, 200)) };
				break;
			}
			default:
				break;
		}
		if (decision && add(decision.code, decision.date)) {
			c.decisionDate = addDays(decision.date, -5);
			if (decision.code === 'A01') this.register(c, decision.date, s.flow === 'expired');
		}
		this.publish(c, s);
	}

	private applicationDocuments(c: JpCase): void {
		const number = this.submittedNumber(c.filingDate);
		const parts: Array<[string, string]> = c.law === 'patent' ? [...PATENT_APPLICATION_PARTS] : [[DOCUMENT_CODES.A63.description[c.law], 'S']];
		for (const [description, separator] of parts) {
			c.documents.push({
				legalDate: c.filingDate,
				irirFlg: '0',
				availabilityFlag: c.law !== 'patent' && c.filingDate < '20190101' ? '0' : '1',
				documentCode: 'A63',
				documentDescription: description,
				documentNumber: number,
				versionNumber: '0001',
				documentSeparator: separator,
				numberOfPages: '0',
				sizeOfDocument: String(separator === 'Z' ? this.prng.int(200_000, 3_000_000) : this.prng.int(1000, 30_000)),
			});
		}
	}

	private register(c: JpCase, grantDate: string, lapse: boolean): void {
		const p = this.prng;
		const feeDate = addDays(grantDate, p.int(10, 25));
		if (feeDate > DATA_AS_OF) return;
		this.addDocument(c.law, c.applicationNumber, { documentCode: 'A61', legalDate: feeDate, availabilityFlag: '0', versionNumber: '0000', documentSeparator: ' ', sizeOfDocument: '0' }, feeDate);
		const regDate = addDays(feeDate, p.int(15, 35));
		if (regDate > DATA_AS_OF) return;
		const y = Number(regDate.slice(0, 4)) - 2019;
		const base = { patent: 6_500_000 + y * 200_000, design: 1_620_000 + y * 25_000, trademark: 6_100_000 + y * 100_000 }[c.law];
		c.registrationNumber = String(base + p.int(0, 19_999));
		c.registrationDate = regDate;
		c.erasureIdentifier = '00';
		c.expireDate = c.law === 'trademark' ? addYears(regDate, 10) : addYears(c.filingDate, c.law === 'patent' ? 20 : 25);
		const paidYears = { patent: 3, design: 1, trademark: 10 }[c.law];
		c.lastPaymentYearly = String(paidYears).padStart(2, '0');
		c.nextPensionPaymentDate = c.law === 'trademark' ? '' : addYears(regDate, paidYears);
		c.updateDate = addDays(regDate, 14);
		const reg = (code: string, date: string): JpDocument => ({
			legalDate: date,
			irirFlg: '0',
			availabilityFlag: '0',
			documentCode: code,
			documentDescription: DOCUMENT_CODES[code].description[c.law],
			documentNumber: '99999999999',
			versionNumber: '0000',
			documentSeparator: ' ',
			numberOfPages: '0',
			sizeOfDocument: '0',
		});
		c.registrationDocuments = [reg('A01', grantDate), reg('R100', feeDate), reg('R150', addDays(regDate, 20))];
		if (lapse) {
			// Lapsed for non-payment: the next annuity was never paid.
			c.erasureIdentifier = '01';
			c.disappearanceDate = c.nextPensionPaymentDate || addYears(regDate, 1);
			c.nextPensionPaymentDate = '';
			c.updateDate = addDays(c.disappearanceDate, 30);
		} else if (c.law === 'design' && addYears(regDate, 1) <= DATA_AS_OF) {
			c.registrationDocuments.push(reg('R20', addDays(addYears(regDate, 1), -20)));
		}
	}

	private publish(c: JpCase, s: Scenario): void {
		if (c.law !== 'patent') return;
		const p = this.prng;
		if (s.pct) {
			const date = addDays(c.filingDate, p.int(60, 120));
			const serial = `5${p.digits(5)}`;
			c.adNationalPublicationNumber = `${date.slice(0, 4)}${serial}`;
			c.nationalPublicationNumber = eraNumber(date, serial);
			c.publicationDate = date;
			return;
		}
		const date = addDays(c.filingDate, 548);
		if (date > DATA_AS_OF) return;
		const serial = String(p.int(1, 199_999)).padStart(6, '0');
		c.adPublicationNumber = `${date.slice(0, 4)}${serial}`;
		c.publicationNumber = eraNumber(date, serial);
		c.publicationDate = date;
	}

	private addCitations(c: JpCase, notice: JpDocument): void {
		const p = this.prng;
		for (let i = 0; i < p.int(2, 4); i++) {
			const year = p.int(2008, Number(c.filingDate.slice(0, 4)) - 1);
			const serial = String(p.int(1, 199_999)).padStart(6, '0');
			c.citations.push({
				draftDate: notice.draftDate ?? notice.legalDate,
				citationType: '19',
				adNumber: `${year}${serial}`,
				eraNumber: eraNumber(`${year}0601`, serial),
			});
		}
		if (p.chance(0.3)) {
			c.nonPatentCitations.push({
				authorName: '山田　一郎',
				paperTitle: '小型機器における制御方式の一検討',
				publicationName: '技術研究報告',
				issueDate: addDays(c.filingDate, -p.int(400, 900)),
			});
		}
	}

	private submittedNumber(date: string): string {
		return this.unique(() => `5${date.slice(2, 4)}${this.prng.digits(8)}`);
	}

	private mailedNumber(law: JpoLaw, date: string): string {
		return this.unique(() => `${MAILED_PREFIX[law]}${date.slice(2, 4)}${this.prng.digits(6)}`);
	}

	private unique(make: () => string): string {
		for (;;) {
			const n = make();
			if (!this.usedNumbers.has(n)) {
				this.usedNumbers.add(n);
				return n;
			}
		}
	}
}

/** 9-digit era-coded number: era digit (4 Heisei, 5 Reiwa), 2-digit era year, 6-digit serial. */
export function eraNumber(date: string, serial: string): string {
	const y = Number(date.slice(0, 4));
	const reiwa = date >= '20190501';
	return `${reiwa ? 5 : 4}${String(reiwa ? y - 2018 : y - 1988).padStart(2, '0')}${serial}`;
}
