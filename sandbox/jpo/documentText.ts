/**
 * Bodies of the documents inside the archives: patent XML in the jp: vocabulary, design and
 * trademark HTM pages. The wording is the sandbox's own, modelled on the usual structure of
 * these notices. Everything returned here is a JS string; documents.ts encodes it to Shift_JIS.
 */
import type { JpCase, JpDocument } from '../data/jpo';
import { eraDate, toFullWidth } from '../data/dates';
import { escapeXml as x } from './envelope';

const XML_HEAD = '<?xml version="1.0" encoding="Shift_JIS"?>';

/** The sentence the tests (and a careful client) look for in every refusal notice. */
export const RESPONSE_PERIOD_SENTENCE = 'この通知書の発送の日から６０日以内に意見書を提出することができます。';

function applicantName(c: JpCase): string {
	return c.parties.find((p) => p.cls === '1')?.name ?? '';
}

function attorney(c: JpCase): { code: string; name: string } | undefined {
	return c.parties.find((p) => p.cls === '2');
}

function citedText(c: JpCase, notice?: JpDocument): string[] {
	const list = c.citations.filter((ct) => !notice || ct.draftDate === (notice.draftDate ?? notice.legalDate));
	return list.map((ct, i) => `${toFullWidth(String(i + 1))}．特開${toFullWidth(ct.adNumber.slice(0, 4))}－${toFullWidth(ct.adNumber.slice(4))}号公報`);
}

function appRef(c: JpCase): string {
	return `<jp:application-reference appl-type="application" jp:kind-of-law="patent">\n<jp:document-id>\n<jp:doc-number>${c.applicationNumber}</jp:doc-number>\n</jp:document-id>\n</jp:application-reference>`;
}

function paragraphs(lines: string[]): string {
	return `<p num="">${lines.map(x).join('<br/>\n')}</p>`;
}

export function patentRefusalNotice(c: JpCase, doc: JpDocument): string {
	const cited = citedText(c, doc);
	const examiner = doc.examiner ?? '審査官';
	const body = [
		'１．（新規性）この出願の下記の請求項に係る発明は、その出願前に頒布された下記の刊行物に記載された発明であるから、特許法第２９条第１項第３号に該当し、特許を受けることができない。',
		'',
		'２．（進歩性）この出願の下記の請求項に係る発明は、その出願前にその発明の属する技術の分野における通常の知識を有する者が下記の刊行物に記載された発明に基づいて容易に発明をすることができたものであるから、特許法第２９条第２項の規定により特許を受けることができない。',
		'',
		'　　　　　　　　記　　（引用文献等については引用文献等一覧参照）',
		'',
		'●理由１、２について',
		'・請求項　１－３',
		'・引用文献等　１',
		'・備考',
		'　引用文献１には、請求項１に係る発明の構成が実質的にすべて記載されている。',
		'',
		'・請求項　４－６',
		'・引用文献等　１，２',
		'・備考',
		'　引用文献１に記載された発明に引用文献２に記載された技術を適用することは、当業者が容易に想到し得たことである。',
		'',
		'＜引用文献等一覧＞',
		...cited,
	];
	return [
		XML_HEAD,
		'<!DOCTYPE jp:notice-pat-exam-rn PUBLIC "-//JPO//DTD NOTICE DOCUMENT BY PATENT SUBSTANTIAL EXAMINATION RENEWAL 1.0//EN" "ntc-pt-e-rn.dtd" []>',
		'<jp:notice-pat-exam-rn lang="ja" dtd-version="1.0" xmlns:jp="http://www.jpo.go.jp">',
		'<jp:notice-of-rejection-a131-rn jp:kind-of-law="patent">',
		'<jp:document-name>拒絶理由通知書</jp:document-name>',
		'<jp:bibliog-in-ntc-pat-exam-rn>',
		appRef(c),
		`<jp:drafting-date>\n<jp:date>${doc.draftDate ?? doc.legalDate}</jp:date>\n</jp:drafting-date>`,
		`<jp:draft-person-group>\n<jp:name>${x(examiner)}</jp:name>\n<jp:staff-code>${doc.documentNumber.slice(-4)}</jp:staff-code>\n</jp:draft-person-group>`,
		`<jp:addressed-to-person-group jp:kind-of-person="applicant">\n<jp:addressbook>\n<jp:name>${x(attorney(c)?.name ?? applicantName(c))}</jp:name>\n</jp:addressbook>\n</jp:addressed-to-person-group>`,
		'<jp:article-group>\n<jp:article>第２９条第１項第３号（新規性）</jp:article>\n<jp:article>第２９条第２項（進歩性）</jp:article>\n</jp:article-group>',
		'</jp:bibliog-in-ntc-pat-exam-rn>',
		'<jp:conclusion-part-article>',
		paragraphs(['　この出願は、次の理由によって拒絶をすべきものです。', `　これについて意見がありましたら、${RESPONSE_PERIOD_SENTENCE}`, '', '　　　　　　　　　　　　　　　　理由']),
		'</jp:conclusion-part-article>',
		'<jp:drafting-body>',
		paragraphs(body),
		'</jp:drafting-body>',
		'</jp:notice-of-rejection-a131-rn>',
		'</jp:notice-pat-exam-rn>',
		'',
	].join('\n');
}

export function patentDecision(c: JpCase, doc: JpDocument): string {
	const grant = doc.documentCode === 'A01';
	const tag = grant ? 'jp:decision-of-registration-a01-rn' : 'jp:decision-of-rejection-a02-rn';
	const conclusion = grant
		? '　この出願については、拒絶の理由を発見しないから、特許査定をします。'
		: '　この出願については、先に通知した拒絶理由によって、拒絶をすべきものと認めます。';
	return [
		XML_HEAD,
		'<!DOCTYPE jp:notice-pat-exam-rn PUBLIC "-//JPO//DTD NOTICE DOCUMENT BY PATENT SUBSTANTIAL EXAMINATION RENEWAL 1.0//EN" "ntc-pt-e-rn.dtd" []>',
		'<jp:notice-pat-exam-rn lang="ja" dtd-version="1.0" xmlns:jp="http://www.jpo.go.jp">',
		`<${tag} jp:kind-of-law="patent">`,
		`<jp:document-name>${x(doc.documentDescription)}</jp:document-name>`,
		'<jp:bibliog-in-ntc-pat-exam-rn>',
		appRef(c),
		`<jp:drafting-date>\n<jp:date>${doc.draftDate ?? doc.legalDate}</jp:date>\n</jp:drafting-date>`,
		`<jp:draft-person-group>\n<jp:name>${x(doc.examiner ?? '')}</jp:name>\n</jp:draft-person-group>`,
		`<invention-title>${x(c.title)}</invention-title>`,
		`<jp:number-of-claim jp:adopted-law="claim">${Number(c.numberOfClaims)}</jp:number-of-claim>`,
		`<jp:addressed-to-person-group jp:kind-of-person="applicant">\n<jp:addressbook>\n<jp:name>${x(applicantName(c))}</jp:name>\n</jp:addressbook>\n</jp:addressed-to-person-group>`,
		'</jp:bibliog-in-ntc-pat-exam-rn>',
		`<jp:conclusion-part-article>\n${paragraphs([conclusion])}\n</jp:conclusion-part-article>`,
		`<jp:drafting-body>\n<p num=""/>\n</jp:drafting-body>`,
		`</${tag}>`,
		'</jp:notice-pat-exam-rn>',
		'',
	].join('\n');
}

function partiesXml(c: JpCase): string {
	const app = c.parties.find((p) => p.cls === '1');
	const agent = attorney(c);
	return [
		`<jp:applicants>\n<jp:applicant>\n<jp:addressbook>\n<jp:name>${x(app?.name ?? '')}</jp:name>\n<jp:registered-number>${app?.code ?? ''}</jp:registered-number>\n</jp:addressbook>\n</jp:applicant>\n</jp:applicants>`,
		agent
			? `<jp:agents>\n<jp:agent jp:kind-of-agent="representative">\n<jp:addressbook>\n<jp:name>${x(agent.name)}</jp:name>\n<jp:registered-number>${agent.code}</jp:registered-number>\n</jp:addressbook>\n</jp:agent>\n</jp:agents>`
			: '',
	].join('\n');
}

/** The refusal notice an opinion or amendment answers: the latest one before it. */
function answeredNotice(c: JpCase, doc: JpDocument): JpDocument | undefined {
	return c.documents.filter((d) => d.documentCode === 'A131' && d.legalDate <= doc.legalDate).pop();
}

export function patentOpinion(c: JpCase, doc: JpDocument): string {
	const notice = answeredNotice(c, doc);
	return [
		XML_HEAD,
		'<!DOCTYPE jp:pat-rspns PUBLIC "-//JPO//DTD PATENT RESPONCE DOCUMENT 1.0//EN" "pat-rspn.dtd" []>',
		'<jp:pat-rspns lang="ja" dtd-version="1.0" xmlns:jp="http://www.jpo.go.jp">',
		'<jp:response-a53 jp:kind-of-law="patent">',
		'<jp:document-code>A153</jp:document-code>',
		`<jp:addressed-to-person>特許庁審査官　${x(notice?.examiner ?? '')}　殿</jp:addressed-to-person>`,
		`<jp:indication-of-case-article>\n${appRef(c)}\n</jp:indication-of-case-article>`,
		partiesXml(c),
		`<jp:dispatch-number>${notice?.documentNumber.slice(-6) ?? ''}</jp:dispatch-number>`,
		'<jp:opinion-contents-article>',
		paragraphs([
			'１．本願発明について',
			`　出願人は、${notice ? eraDate(notice.legalDate) : ''}付けで通知された拒絶理由に対し、同日付けの手続補正書により請求項１を補正しました。`,
			'２．引用文献との対比',
			'　補正後の請求項１に係る発明は、引用文献１に記載も示唆もされていない構成を備えており、格別の作用効果を奏します。',
			'３．むすび',
			'　以上のとおり、本願発明は新規性及び進歩性を有するものと思料いたします。',
		]),
		'</jp:opinion-contents-article>',
		'</jp:response-a53>',
		'</jp:pat-rspns>',
		'',
	].join('\n');
}

export function patentAmendment(c: JpCase, doc: JpDocument): string {
	const notice = answeredNotice(c, doc);
	return [
		XML_HEAD,
		'<!DOCTYPE jp:pat-amnd PUBLIC "-//JPO//DTD PATENT AMENDMENT DOCUMENT 1.0//EN" "pat-amnd.dtd" []>',
		'<jp:pat-amnd lang="ja" dtd-version="1.0" xmlns:jp="http://www.jpo.go.jp">',
		'<jp:amendment-a523 jp:kind-of-law="patent">',
		'<jp:document-code>A1523</jp:document-code>',
		'<jp:addressed-to-person>特許庁長官殿</jp:addressed-to-person>',
		`<jp:indication-of-case-article>\n${appRef(c)}\n</jp:indication-of-case-article>`,
		partiesXml(c),
		`<jp:dispatch-number>${notice?.documentNumber.slice(-6) ?? ''}</jp:dispatch-number>`,
		'<jp:amendment-article>',
		'<jp:amendment-group jp:serial-number="1">',
		'<jp:item-of-amendment>請求項１</jp:item-of-amendment>',
		'<jp:way-of-amendment>変更</jp:way-of-amendment>',
		'<jp:contents-of-amendment jp:kind-of-law="patent" jp:kind-of-document="claims">',
		`<claims>\n<claim num="1">\n<claim-text>${x(`　${c.title}に関し、制御部と、前記制御部に接続された検出部とを備え、前記検出部の出力に基づいて動作条件を切り替えることを特徴とする${c.title.replace(/及び.*$|、.*$/, '')}。`)}</claim-text>\n</claim>\n</claims>`,
		'</jp:contents-of-amendment>',
		'</jp:amendment-group>',
		'</jp:amendment-article>',
		'</jp:amendment-a523>',
		'</jp:pat-amnd>',
		'',
	].join('\n');
}

const LAW_LABEL = { design: { app: '意願', who: '意匠登録出願人', act: '意匠法' }, trademark: { app: '商願', who: '商標登録出願人', act: '商標法' } };

function htm(lines: string[]): string {
	return [
		'<HTML>',
		'<HEAD>',
		'<META http-equiv="Content-Type" content="text/html; charset=Shift_JIS">',
		'</HEAD>',
		'<BODY STYLE="font-size:12pt">',
		'<PRE>',
		...lines.map(x),
		'</PRE>',
		'</BODY>',
		'</HTML>',
		'',
	].join('\r\n');
}

function appNumberText(c: JpCase): string {
	const l = LAW_LABEL[c.law as 'design' | 'trademark'];
	return `${l.app}${toFullWidth(c.applicationNumber.slice(0, 4))}－${toFullWidth(c.applicationNumber.slice(4))}`;
}

/** Design or trademark mailed document (refusal notice or decision) as an HTM page. */
export function htmMailed(c: JpCase, doc: JpDocument): string {
	const l = LAW_LABEL[c.law as 'design' | 'trademark'];
	const head = [
		`　　　　　　　　　　　${doc.documentDescription}`,
		'',
		`　出願番号　　　　　　　　　${appNumberText(c)}`,
		`　起案日　　　　　　　　　　${eraDate(doc.draftDate ?? doc.legalDate)}`,
		`　特許庁審査官　　　　　　　${doc.examiner ?? ''}`,
		`　${l.who}　　　　　　${applicantName(c)}　様`,
		'',
	];
	if (doc.documentCode === 'A131') {
		const reason =
			c.law === 'design'
				? '　この意匠登録出願の意匠は、その出願前に公然知られた意匠に類似するものと認められますので、意匠法第３条第１項第３号に該当します。'
				: '　この商標登録出願に係る商標は、他人の登録商標と同一又は類似であって、その指定商品又は指定役務と同一又は類似の商品又は役務に使用をするものと認められますので、商標法第４条第１項第１１号に該当します。';
		return htm([
			...head,
			`　この出願については、以下のとおり登録を受けることができない理由がありますので、${l.act}の規定に基づき通知します。`,
			`　この理由について意見があれば、${RESPONSE_PERIOD_SENTENCE}`,
			'',
			'　　　　　　　　　　　　　　　　理　由',
			'',
			reason,
		]);
	}
	const conclusion = doc.documentCode === 'A01' ? '　この出願については、拒絶の理由を発見しないから、登録査定をします。' : '　この出願については、先に通知した理由によって、拒絶をすべきものと認めます。';
	return htm([...head, conclusion]);
}

/** Design or trademark opinion/amendment as an HTM page. */
export function htmSubmitted(c: JpCase, doc: JpDocument): string {
	const app = c.parties.find((p) => p.cls === '1');
	return htm([
		`【書類名】　　　　　　${doc.documentDescription}`,
		`【提出日】　　　　　　${eraDate(doc.legalDate)}`,
		'【あて先】　　　　　　特許庁長官　殿',
		'【事件の表示】',
		`　　【出願番号】　　　${appNumberText(c)}`,
		`【${doc.documentCode === 'A53' ? '意見書を提出する者' : '補正をする者'}】`,
		`　　【識別番号】　　　${toFullWidth(app?.code ?? '')}`,
		`　　【氏名又は名称】　${app?.name ?? ''}`,
		doc.documentCode === 'A53'
			? '【意見の内容】\r\n　本願は引用された先行例とは全体の印象が明確に異なり、拒絶の理由は解消されたものと思料します。'
			: '【手続補正１】\r\n　【補正対象書類名】　願書\r\n　【補正方法】　　　　変更',
	]);
}
