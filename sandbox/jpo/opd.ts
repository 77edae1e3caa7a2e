/**
 * One Portal Dossier APIs (NOTES §2.1 OPD table, §2.4): XML metadata, PDF and ZIP contents,
 * keyed by DOCDB numbers. Only JP applications of the data set and their invented foreign family
 * members resolve; the format follows the third-party clients, as nothing official exists.
 */
import { zipSync } from 'fflate';
import type { Clock } from '../core/clock';
import type { JpoConfig } from '../core/config';
import { bearerToken, binary, type RequestContext, type SandboxResponse } from '../core/http';
import { makePdf } from '../core/pdf';
import { Prng } from '../core/prng';
import type { JpCase, JpDocument, JpoData } from '../data/jpo';
import type { JpoAuth } from './auth';
import { documentBody, sjis } from './documents';
import { findOpd } from './endpoints';
import { escapeXml as x, opdEnvelope } from './envelope';
import type { JpoQuota } from './quota';
import { COUNTED_STATUSES } from './status';

const DOCDB = /^[A-Za-z]{2}\.[0-9]{1,94}\.[A-Za-z0-9*]{1,2}$/;

interface Member {
	country: string;
	application: { number: string; date: string };
	publications: Array<{ number: string; date: string }>;
	registrations: Array<{ number: string; date: string }>;
}

/** English names used in OPD document ids, by JPO document code. */
const DOC_ID_NAMES: Record<string, string> = {
	A63: 'Application',
	A621: 'Request_for_Examination',
	A131: 'Notice_of_Reasons_for_Refusal',
	A53: 'Written_Opinion',
	A523: 'Written_Amendment',
	A01: 'Decision_to_Grant',
	A02: 'Decision_of_Refusal',
	A971007: 'Search_Report',
};

const PART_ID_NAMES: Record<string, string> = { Y: 'Abstract', S: 'Application', L: 'Claims', M: 'Description', Z: 'Drawings' };

export function opdDocumentId(d: JpDocument): string {
	const name = d.documentCode === 'A63' ? PART_ID_NAMES[d.documentSeparator] ?? 'Application' : DOC_ID_NAMES[d.documentCode] ?? 'Document';
	return `${name}_${d.documentNumber}_JP`;
}

/** The JP member plus a deterministic set of foreign members for each JP patent. */
export function familyOf(c: JpCase): Member[] {
	const p = new Prng(Number(c.applicationNumber.slice(2)));
	const jp: Member = {
		country: 'JP',
		application: { number: `JP.${c.applicationNumber}.A`, date: c.filingDate },
		publications: [c.adPublicationNumber, c.adNationalPublicationNumber].filter(Boolean).map((n) => ({ number: `JP.${n}.A`, date: c.publicationDate })),
		registrations: c.registrationNumber ? [{ number: `JP.${c.registrationNumber}.B2`, date: c.registrationDate }] : [],
	};
	const y = c.filingDate.slice(0, 4);
	const date = c.filingDate;
	const foreign: Member[] = [];
	if (p.chance(0.7)) {
		foreign.push({
			country: 'US',
			application: { number: `US.${y}${p.int(16, 18)}${p.digits(6)}.A`, date },
			publications: [{ number: `US.${y}${p.digits(7)}.A1`, date }],
			registrations: p.chance(0.5) ? [{ number: `US.${p.int(10_500_000, 11_900_000)}.B2`, date }] : [],
		});
	}
	if (p.chance(0.5)) {
		foreign.push({
			country: 'CN',
			application: { number: `CN.${y}80${p.digits(7)}.A`, date },
			publications: [{ number: `CN.11${p.digits(7)}.A`, date }],
			registrations: [],
		});
	}
	if (p.chance(0.4)) {
		foreign.push({
			country: 'EP',
			application: { number: `EP.${y.slice(2)}${p.digits(6)}.A`, date },
			publications: [{ number: `EP.${p.int(3_500_000, 4_200_000)}.A1`, date }],
			registrations: [],
		});
	}
	return [jp, ...foreign];
}

function resolve(data: JpoData, docdb: string): { c: JpCase; member: Member } | null {
	const wanted = docdb.toUpperCase();
	for (const c of data.all('patent')) {
		for (const m of familyOf(c)) {
			const numbers = [m.application.number, ...m.publications.map((p) => p.number), ...m.registrations.map((r) => r.number)];
			if (numbers.includes(wanted)) return { c, member: m };
		}
	}
	return null;
}

const num = (tag: string, n: { number: string; date: string }, withDate: boolean): string =>
	`<${tag}><document-number>${n.number}</document-number>${withDate ? `<date>${n.date}</date>` : ''}</${tag}>`;

function familyXml(members: Member[]): string {
	const groups = members
		.map(
			(m, i) =>
				`<family group="${i + 1}"><country>${m.country}</country><family-items><family-item>` +
				`<application-number><document-number>${m.application.number}</document-number><date>${m.application.date}</date></application-number>` +
				`<publication-numbers>${m.publications.map((p) => num('publication-number', p, false)).join('')}</publication-numbers>` +
				`<registration-numbers>${m.registrations.map((r) => num('registration-number', r, false)).join('')}</registration-numbers>` +
				`</family-item></family-items></family>`,
		)
		.join('');
	return `<family-data><families>${groups}</families></family-data>`;
}

function familyListXml(members: Member[]): string {
	const lists = members
		.map(
			(m, i) =>
				`<family-list id="${i + 1}">${num('application-number', m.application, true)}` +
				`<publication-numbers>${m.publications.map((p) => num('publication-number', p, true)).join('')}</publication-numbers>` +
				`<registration-numbers>${m.registrations.map((r) => num('registration-number', r, true)).join('')}</registration-numbers></family-list>`,
		)
		.join('');
	return `<family-list-data><family-lists>${lists}</family-lists></family-list-data>`;
}

function jpDocuments(c: JpCase): JpDocument[] {
	return c.documents.filter((d) => d.availabilityFlag === '1' && (d.documentCode !== 'A63' || d.documentSeparator !== 'S'));
}

function docListXml(c: JpCase): string {
	const applicant = c.parties.find((p) => p.cls === '1')?.name ?? '';
	const lists = jpDocuments(c)
		.map((d, i) => {
			const id = opdDocumentId(d);
			const english = id.replace(/_\d+_JP$/, '').replace(/_/g, ' ');
			return `<document-list group="${i + 1}"><legal-date>${d.legalDate}</legal-date><original id="${id}"><document-description>${x(d.documentDescription)}</document-description></original><translated id="${id}"><document-description>${english}</document-description></translated></document-list>`;
		})
		.join('');
	return (
		`<document-list-data><bibliographic><original><invention-title>${x(c.title)}</invention-title><applicant><last-name>${x(applicant)}</last-name></applicant></original>` +
		`<translated><invention-title>${x(c.title)}</invention-title><applicant><last-name>${x(applicant)}</last-name></applicant></translated></bibliographic>` +
		`<document-lists>${lists}</document-lists></document-list-data>`
	);
}

function citeClassXml(c: JpCase): string {
	const ref = [
		num('application-number', { number: `JP.${c.applicationNumber}.A`, date: c.filingDate }, true),
		c.adPublicationNumber ? num('publication-number', { number: `JP.${c.adPublicationNumber}.A`, date: c.publicationDate }, true) : '',
		c.registrationNumber ? num('registration-number', { number: `JP.${c.registrationNumber}.B2`, date: c.registrationDate }, true) : '',
	].join('');
	const pats = c.citations
		.map((ct) => `<patent-literature><draft-date>${ct.draftDate}</draft-date><cited-in>examiner</cited-in><publication-number format="docdb"><document-number>JP.${ct.adNumber}.A</document-number></publication-number></patent-literature>`)
		.join('');
	const npl = c.nonPatentCitations
		.map((n) => `<non-patent-literature><draft-date>${c.citations[0]?.draftDate ?? ''}</draft-date><cited-in>examiner</cited-in><text>${x(`${n.authorName}「${n.paperTitle}」${n.publicationName}`)}</text></non-patent-literature>`)
		.join('');
	return (
		`<citation-and-classification-data><reference>${ref}</reference>` +
		`<classification><ipcs><ipc>G06F 17/00</ipc><ipc>H01M 4/00</ipc></ipcs><originals><original scheme="FI">G06F17/00,100</original></originals></classification>` +
		`<citation><patent-literatures>${pats}</patent-literatures><non-patent-literatures>${npl}</non-patent-literatures></citation></citation-and-classification-data>`
	);
}

export interface OpdDeps {
	clock: Clock;
	config: () => JpoConfig;
	data: () => JpoData;
	auth: JpoAuth;
	quota: JpoQuota;
}

type OpdAnswer = { code: string; payload?: string; response?: SandboxResponse };

export function handleOpd(ctx: RequestContext, deps: OpdDeps): SandboxResponse {
	const [, , law, version, name, ...raw] = ctx.path.split('/');
	const endpoint = law === 'patent' && version === 'v1' ? findOpd(name) : undefined;
	ctx.meta.endpoint = endpoint?.id ?? `opd/${name ?? ''}`;
	const reply = (code: string, remaining: number | null, payload = ''): SandboxResponse => {
		ctx.meta.resultCode = code;
		return opdEnvelope(code, remaining, payload);
	};
	const username = deps.auth.verify(bearerToken(ctx.headers));
	if (!username) return reply('210', null);
	ctx.meta.credential = username;
	if (!endpoint || ctx.method !== 'GET') return reply('301', null);
	if (!deps.quota.opdWindow.tryHit(username)) return reply('303', null);
	let params: string[];
	try {
		params = raw.map((s) => decodeURIComponent(s));
	} catch {
		return reply('204', null);
	}
	if (params.some((p) => /[\t,;:|]/.test(p))) return reply('208', null);
	if (params.length !== endpoint.segments) return reply('204', null);
	const docdb = endpoint.segments === 2 && (name === 'family' || name === 'family_list') ? params[1] : params[0];
	if (endpoint.segments === 2 && (name === 'family' || name === 'family_list') && !['application', 'publication'].includes(params[0])) {
		return reply('204', null);
	}
	if (!DOCDB.test(docdb)) return reply('204', null);
	if (deps.quota.exhausted(username, endpoint.id)) return reply('203', null);

	const answer = answerOpd(name, params, docdb, deps.data());
	const remaining = COUNTED_STATUSES.has(answer.code) ? deps.quota.consume(username, endpoint.id) : null;
	if (answer.response) {
		ctx.meta.resultCode = answer.code;
		return answer.response;
	}
	return reply(answer.code, remaining, answer.payload ?? '');
}

function answerOpd(name: string, params: string[], docdb: string, data: JpoData): OpdAnswer {
	const found = resolve(data, docdb);
	if (!found) return { code: '107' };
	const { c, member } = found;
	switch (name) {
		case 'family':
			return { code: '100', payload: familyXml(familyOf(c)) };
		case 'family_list':
			return { code: '100', payload: familyListXml(familyOf(c)) };
		case 'global_doc_list':
			return member.country === 'JP' ? { code: '100', payload: docListXml(c) } : { code: '107' };
		case 'global_cite_class':
			return member.country === 'JP' ? { code: '100', payload: citeClassXml(c) } : { code: '107' };
		case 'global_doc_cont':
		case 'jp_doc_cont': {
			const doc = jpDocuments(c).find((d) => opdDocumentId(d) === params[1]);
			if (!doc || member.country !== 'JP') return { code: '107' };
			if (name === 'global_doc_cont') {
				return { code: '100', response: binary('application/pdf', makePdf(`${params[1]} (${c.applicationNumber})`)) };
			}
			const body = ['A131', 'A53', 'A523', 'A01', 'A02'].includes(doc.documentCode) ? documentBody(c, doc) : sjis(plainPart(c, doc));
			const zip = zipSync({ [`${params[1]}.xml`]: body });
			return { code: '100', response: binary('application/zip', zip, { 'Content-Disposition': `attachment;filename=${params[1]}.zip` }) };
		}
		default:
			return { code: '999' };
	}
}

function plainPart(c: JpCase, d: JpDocument): string {
	return `<?xml version="1.0" encoding="Shift_JIS"?>\n<jp:document xmlns:jp="http://www.jpo.go.jp"><jp:document-name>${x(d.documentDescription)}</jp:document-name><jp:doc-number>${c.applicationNumber}</jp:doc-number><invention-title>${x(c.title)}</invention-title></jp:document>\n`;
}
