/**
 * `result.data` of each JSON endpoint, field names and order as in the official spec and the
 * recorded traffic (NOTES Appendix). Values may be left as numbers here; envelope.stringify
 * turns everything into strings.
 */
import type { JpCase, JpDocument, JpoData } from '../data/jpo';

type Obj = Record<string, unknown>;

function applicantAttorney(c: JpCase): Obj[] {
	return c.parties.map((p, i) =>
		c.law === 'trademark'
			? { applicantAttorneyCd: p.code, name: p.name, applicantAttorneyClass: p.cls }
			: { applicantAttorneyCd: p.code, repeatNumber: i + 1, name: p.name, applicantAttorneyClass: p.cls },
	);
}

function documentList(docs: JpDocument[]): Obj[] {
	return docs.map((d) => ({
		legalDate: d.legalDate,
		irirFlg: d.irirFlg,
		availabilityFlag: d.availabilityFlag,
		documentCode: d.documentCode,
		documentDescription: d.documentDescription,
		documentNumber: d.documentNumber,
		versionNumber: d.versionNumber,
		documentSeparator: d.documentSeparator,
		numberOfPages: d.numberOfPages,
		sizeOfDocument: d.sizeOfDocument,
	}));
}

function bibliography(c: JpCase): Obj[] {
	const out: Obj[] = [{ numberType: '01', number: c.applicationNumber, documentList: documentList(c.documents) }];
	if (c.publicationNumber) out.push({ numberType: '02', number: c.publicationNumber, documentList: [] });
	if (c.nationalPublicationNumber) out.push({ numberType: '03', number: c.nationalPublicationNumber, documentList: [] });
	if (c.registrationNumber) out.push({ numberType: '06', number: c.registrationNumber, documentList: documentList(c.registrationDocuments) });
	return out;
}

function priorities(c: JpCase): Obj[] {
	if (c.law === 'patent') return c.priorities.map((p) => ({ ...p }));
	return c.priorities.map((p) => ({
		parisPriorityApplicationNumber: p.parisPriorityApplicationNumber,
		parisPriorityDate: p.parisPriorityDate,
		parisPriorityCountryCd: p.parisPriorityCountryCd,
	}));
}

function parentInfo(c: JpCase): Obj {
	if (!c.parent) return {};
	if (c.law === 'patent') return { parentApplicationNumber: c.parent.applicationNumber, filingDate: c.parent.filingDate };
	return { parentApplicationCategory: '1', parentApplicationLawCode: c.law === 'design' ? '3' : '4', parentApplicationNumber: c.parent.applicationNumber };
}

function divisionals(c: JpCase, data: JpoData): Obj[] {
	return c.divisionalFamily.map((n, generation) => {
		const m = data.get('patent', n);
		return {
			applicationNumber: n,
			publicationNumber: m?.publicationNumber,
			ADPublicationNumber: m?.adPublicationNumber,
			nationalPublicationNumber: m?.nationalPublicationNumber,
			ADNationalPublicationNumber: m?.adNationalPublicationNumber,
			registrationNumber: m?.registrationNumber,
			internationalApplicationNumber: m?.internationalApplicationNumber,
			internationalPublicationNumber: m?.internationalPublicationNumber,
			erasureIdentifier: m?.erasureIdentifier,
			expireDate: m?.expireDate,
			disappearanceDate: m?.disappearanceDate,
			divisionalGeneration: generation,
		};
	});
}

/** Trademark transliteration / Vienna classes are objects keyed "0", "1", … (not arrays). */
function keyed(values: string[]): Obj {
	return Object.fromEntries(values.map((v, i) => [String(i), v]));
}

function rights(c: JpCase): Obj {
	return {
		erasureIdentifier: c.erasureIdentifier,
		expireDate: c.expireDate,
		disappearanceDate: c.disappearanceDate,
	};
}

export function progress(c: JpCase, data: JpoData, simple: boolean): Obj {
	if (c.law === 'patent') {
		return {
			applicationNumber: c.applicationNumber,
			inventionTitle: c.title,
			applicantAttorney: applicantAttorney(c),
			filingDate: c.filingDate,
			publicationNumber: c.publicationNumber,
			ADPublicationNumber: c.adPublicationNumber,
			nationalPublicationNumber: c.nationalPublicationNumber,
			ADNationalPublicationNumber: c.adNationalPublicationNumber,
			publicationDate: c.publicationDate,
			registrationNumber: c.registrationNumber,
			registrationDate: c.registrationDate,
			internationalApplicationNumber: c.internationalApplicationNumber,
			internationalPublicationNumber: c.internationalPublicationNumber,
			internationalPublicationDate: c.internationalPublicationDate,
			...rights(c),
			...(simple
				? {}
				: {
						priorityRightInformation: priorities(c),
						parentApplicationInformation: parentInfo(c),
						divisionalApplicationInformation: divisionals(c, data),
					}),
			bibliographyInformation: bibliography(c),
		};
	}
	if (c.law === 'design') {
		return {
			applicationNumber: c.applicationNumber,
			designArticle: c.title,
			...(simple ? {} : { designClass: c.designClass }),
			applicantAttorney: applicantAttorney(c),
			filingDate: c.filingDate,
			publicationDate: c.publicationDate,
			registrationNumber: c.registrationNumber,
			registrationDate: c.registrationDate,
			...(simple ? {} : { principalDesignApplicationNumber: c.principalDesignApplicationNumber }),
			...rights(c),
			...(simple ? {} : { priorityRightInformation: priorities(c), parentApplicationInformation: parentInfo(c) }),
			bibliographyInformation: bibliography(c),
		};
	}
	return {
		applicationNumber: c.applicationNumber,
		applicantAttorney: applicantAttorney(c),
		filingDate: c.filingDate,
		publicationDate: c.publicationDate,
		registrationNumber: c.registrationNumber,
		registrationDate: c.registrationDate,
		...rights(c),
		trademarkForDisplay: c.title,
		transliteration: keyed(c.transliteration),
		viennaClass: keyed(c.viennaClass),
		goodsServiceInformation: c.goods.map((g) => ({ ...g })),
		...(simple ? {} : { priorityRightInformation: priorities(c), parentApplicationInformation: parentInfo(c) }),
		bibliographyInformation: bibliography(c),
	};
}

export function divisionalInfo(c: JpCase, data: JpoData): Obj {
	return { applicationNumber: c.applicationNumber, parentApplicationInformation: parentInfo(c), divisionalApplicationInformation: divisionals(c, data) };
}

export function priorityInfo(c: JpCase): Obj {
	return { applicationNumber: c.applicationNumber, priorityRightInformation: priorities(c) };
}

export function registrationInfo(c: JpCase): Obj {
	const head = {
		applicationNumber: c.applicationNumber,
		filingDate: c.filingDate,
		registrationNumber: c.registrationNumber,
		registrationDate: c.registrationDate,
		decisionDate: c.decisionDate,
		appealTrialDecisiondDate: '',
		rightPersonInformation: c.parties.filter((p) => p.cls === '1').map((p) => ({ rightPersonCd: p.code, rightPersonName: p.name })),
	};
	const tail = {
		expireDate: c.expireDate,
		nextPensionPaymentDate: c.nextPensionPaymentDate,
		lastPaymentYearly: c.lastPaymentYearly,
		erasureIdentifier: c.erasureIdentifier,
		disappearanceDate: c.disappearanceDate,
		updateDate: c.updateDate,
	};
	if (c.law === 'patent') return { ...head, inventionTitle: c.title, numberOfClaims: c.numberOfClaims, ...tail };
	if (c.law === 'design') return { ...head, designArticle: c.title, ...tail };
	return {
		...head,
		trademarkForDisplay: c.title,
		transliteration: keyed(c.transliteration),
		viennaClass: keyed(c.viennaClass),
		goodsServiceInformation: c.goods.map((g) => ({ ...g })),
		...tail,
	};
}

export function citations(c: JpCase): Obj {
	let order = 0;
	let last = '';
	return {
		applicationNumber: c.applicationNumber,
		patentDoc: c.citations.map((ct) => {
			order = ct.draftDate === last ? order + 1 : 1;
			last = ct.draftDate;
			return { draftDate: ct.draftDate, citationType: ct.citationType, citationOrder: order, documentNumber: `JPA ${ct.eraNumber}` };
		}),
		nonPatentDoc: c.nonPatentCitations.map((n, i) => ({
			draftDate: c.citations[0]?.draftDate ?? '',
			citationType: '19',
			citationOrder: i + 1,
			documentType: '1',
			authorName: n.authorName,
			paperTitle: n.paperTitle,
			publicationName: n.publicationName,
			issueCountryCd: 'JP',
			publisher: '',
			issueDate: n.issueDate,
			issueDateType: '1',
			issueNumber: '',
			citationPages: '',
		})),
	};
}

export function caseNumbers(c: JpCase): Obj {
	if (c.law === 'patent') {
		return {
			applicationNumber: c.applicationNumber,
			publicationNumber: c.adPublicationNumber,
			nationalPublicationNumber: c.adNationalPublicationNumber,
			registrationNumber: c.registrationNumber,
			internationalPublicationNumber: c.internationalPublicationNumber,
		};
	}
	if (c.law === 'design') {
		return {
			applicationNumber: c.applicationNumber,
			registrationNumber: c.registrationNumber,
			internationalRegistrationNumber: c.internationalRegistrationNumber,
			designNumber: c.designNumber,
		};
	}
	return { applicationNumber: c.applicationNumber, registrationNumber: c.registrationNumber };
}

const JPP_SEGMENT = { patent: ['PU', '10'], design: ['DE', '30'], trademark: ['TR', '40'] } as const;

export function jppAddress(c: JpCase): Obj {
	const [kind, tab] = JPP_SEGMENT[c.law];
	const n = c.applicationNumber;
	return { URL: `https://www.j-platpat.inpit.go.jp/c1800/${kind}/JP-${n.slice(0, 4)}-${n.slice(4)}/${c.jppHash}/${tab}/ja` };
}
