/**
 * English names for the documents that appear in JPO progress lists and archives. JPO names its
 * documents in Japanese only; this table gives the usual English term beside the original, which
 * always stays in the output. Keyed by the Japanese name because one code covers several parts
 * (A63 is the request, the claims, the description, the abstract and the drawings alike).
 */
const ENGLISH_NAMES: Readonly<Record<string, string>> = {
	特許願: 'Patent application (request)',
	意匠登録願: 'Design registration application',
	商標登録願: 'Trademark registration application',
	明細書: 'Description',
	請求の範囲: 'Claims',
	特許請求の範囲: 'Claims',
	要約書: 'Abstract',
	図面: 'Drawings',
	出願審査請求書: 'Request for examination',
	拒絶理由通知書: 'Notice of reasons for refusal',
	拒絶査定: 'Decision of refusal',
	特許査定: 'Decision to grant a patent',
	登録査定: 'Decision to register',
	意見書: 'Written opinion',
	手続補正書: 'Written amendment',
	'手続補正書（自発・内容）': 'Written amendment (voluntary, substantive)',
	'手続補正書（方式）': 'Written amendment (formalities)',
	補正の却下の決定: 'Decision to dismiss an amendment',
	手続補正指令書: 'Invitation to correct formalities',
	'手続補正指令書（方式）': 'Invitation to correct formalities',
	検索報告書: 'Search report',
	登録料納付: 'Registration fee paid',
	特許料納付書: 'Patent fee payment',
	設定納付書: 'Registration fee payment',
	年金納付書: 'Annuity payment',
	'年金領収書、年金領収書（分納）': 'Annuity receipt',
	特許証: 'Letters patent',
	登録証: 'Certificate of registration',
	出願番号特定通知書: 'Notice identifying the application number',
	'審査官通知（その他の通知）（期間無）': "Examiner's notice (no response period)",
	新規性の喪失の例外証明書提出書: 'Certificate of exception to lack of novelty',
	上申書: 'Written statement',
	刊行物等提出書: 'Submission of publications (third-party observation)',
	早期審査に関する事情説明書: 'Explanation of circumstances for accelerated examination',
	優先権証明書提出書: 'Submission of priority document',
	出願人名義変更届: 'Notice of change of applicant',
	代理人受任届: 'Notice of appointment of attorney',
	代理人選任届: 'Notice of appointment of attorney',
	審判請求書: 'Request for appeal',
	拒絶査定不服審判請求書: 'Request for appeal against a decision of refusal',
	審決: 'Appeal decision',
	最後の拒絶理由通知書: 'Final notice of reasons for refusal',
};

/**
 * Codes whose Japanese name is the same for every part, used when an archive names a document by
 * code only (the folders of the opinion and amendment bundle).
 */
const NAMES_BY_CODE: Readonly<Record<string, string>> = {
	A131: '拒絶理由通知書',
	A02: '拒絶査定',
	A53: '意見書',
	A523: '手続補正書',
	A621: '出願審査請求書',
	A971007: '検索報告書',
};

export function englishDocumentName(japaneseName: string | undefined, documentCode?: string): string | null {
	const name = japaneseName?.trim();
	if (name && ENGLISH_NAMES[name]) return ENGLISH_NAMES[name];
	// Amendments and appeals carry qualifiers in brackets; the base name still says what it is.
	const base = name?.replace(/（[^）]*）/g, '');
	if (base && ENGLISH_NAMES[base]) return ENGLISH_NAMES[base];
	const byCode = documentCode ? NAMES_BY_CODE[documentCode] : undefined;
	return byCode ? ENGLISH_NAMES[byCode] : null;
}

export function japaneseDocumentName(documentCode: string): string | undefined {
	return NAMES_BY_CODE[documentCode];
}

/** The code a design or trademark HTM document has, read from its title (those files carry no code). */
export function documentCodeFromName(japaneseName: string): string | undefined {
	const base = japaneseName.replace(/（[^）]*）/g, '').trim();
	if (base === '特許査定' || base === '登録査定') return 'A01';
	return Object.entries(NAMES_BY_CODE).find(([, name]) => name === base)?.[0];
}
