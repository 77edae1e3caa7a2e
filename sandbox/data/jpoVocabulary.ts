/**
 * Invented vocabulary for the JPO data set. Names are fictitious; only the shapes (9-digit
 * codes, full-width spaces in foreign names, document codes) follow the real service.
 */
import type { JpoLaw } from '../jpo/endpoints';

export interface PartySeed {
	code: string;
	name: string;
}

export const COMPANIES: readonly PartySeed[] = [
	{ code: '000100001', name: 'みらい電機株式会社' },
	{ code: '000200002', name: '東都化学工業株式会社' },
	{ code: '000300003', name: '北辰モビリティ株式会社' },
	{ code: '000400004', name: 'さくら医療機器株式会社' },
	{ code: '000500005', name: '株式会社青葉ソフトウェア' },
	{ code: '000600006', name: '瑞穂精密工業株式会社' },
	{ code: '000700007', name: '株式会社若葉食品' },
	{ code: '504800008', name: '国立大学法人東海工科大学' },
	{ code: '591200009', name: 'ノルトリヒト　インダストリーズ　アクチエンゲゼルシャフト' },
	{ code: '518300010', name: 'ブルーリッジ　テクノロジーズ　インコーポレイテッド' },
];

/** One foreign name registered under two codes, as happens in the real register. */
export const TWIN_CODE_COMPANY: readonly PartySeed[] = [
	{ code: '519400011', name: 'アトラス　ツールズ　コーポレイション' },
	{ code: '520400012', name: 'アトラス　ツールズ　コーポレイション' },
];

export const INDIVIDUALS: readonly PartySeed[] = [
	{ code: '523100013', name: '山本　花子' },
	{ code: '521700014', name: '森下　拓海' },
];

export const ATTORNEYS: readonly PartySeed[] = [
	{ code: '100100001', name: '佐藤　健一' },
	{ code: '100100002', name: '鈴木　真理子' },
	{ code: '100100003', name: '高橋　誠' },
	{ code: '100100004', name: '田中　裕子' },
	{ code: '100100005', name: '伊藤　修' },
];

export const EXAMINERS: readonly string[] = ['中村　達也', '小林　恵', '加藤　大輔', '吉田　彩'];

export const PATENT_TITLES: readonly string[] = [
	'リチウムイオン二次電池用正極材料及びその製造方法',
	'車両用運転支援装置',
	'画像処理装置、画像処理方法及びプログラム',
	'医療用カテーテル',
	'食品の鮮度判定システム',
	'半導体装置の製造方法',
	'無線通信端末及び通信制御方法',
	'樹脂組成物及び成形体',
	'空気調和機',
	'二足歩行ロボットの制御装置',
	'蓄電池の劣化推定方法',
	'水処理装置',
	'光学フィルム及び表示装置',
	'作業機械の油圧回路',
	'情報処理装置、情報処理方法及びプログラム',
	'発酵乳製品の製造方法',
];

export const DESIGN_ARTICLES: ReadonlyArray<[string, string]> = [
	['腕時計', 'J1011'],
	['椅子', 'C1410'],
	['電気自動車用充電器', 'H1200'],
	['照明器具', 'D3100'],
	['包装用容器', 'F4210'],
	['スマートフォン用ケース', 'H7300'],
	['歯ブラシ', 'B9210'],
	['自転車用ヘルメット', 'B1300'],
	['加湿器', 'C4200'],
	['積み木', 'E2112'],
];

export interface MarkSeed {
	display: string;
	transliteration: string[];
	vienna: string[];
}

export const MARKS: readonly MarkSeed[] = [
	{ display: 'ミライボルト', transliteration: ['ミライボルト'], vienna: [] },
	{ display: 'ＳＯＲＡＭＩＴＥ', transliteration: ['ソラミテ'], vienna: [] },
	{ display: 'あおば茶房', transliteration: ['アオバサボー', 'アオバ'], vienna: [] },
	{ display: 'ＧＲＥＥＮ　ＦＯＸ', transliteration: ['グリーンフォックス', 'グリーン', 'フォックス'], vienna: ['3.1.8'] },
	{ display: '北辰', transliteration: ['ホクシン'], vienna: [] },
	{ display: 'ルミナクラフト', transliteration: ['ルミナクラフト', 'ルミナ'], vienna: [] },
	{ display: 'こめ日和', transliteration: ['コメビヨリ'], vienna: ['5.7.1', '26.1.1'] },
	{ display: 'ＴＥＣＨＮＯＬＡＮＴＥＲＮ', transliteration: ['テクノランタン'], vienna: [] },
	{ display: '', transliteration: [], vienna: ['1.3.1', '26.4.2'] },
	{ display: 'はやぶさ便', transliteration: ['ハヤブサビン', 'ハヤブサ'], vienna: [] },
];

export const GOODS: ReadonlyArray<{ goodsServiceClass: string; goodsServiceName: string; similarCode: string }> = [
	{ goodsServiceClass: '09', goodsServiceName: '電子計算機用プログラム，電子応用機械器具及びその部品', similarCode: '11C01 26A01' },
	{ goodsServiceClass: '29', goodsServiceName: '食肉，加工野菜及び加工果実', similarCode: '32A01 32C01' },
	{ goodsServiceClass: '30', goodsServiceName: '茶，菓子，パン', similarCode: '29A01 30A01' },
	{ goodsServiceClass: '35', goodsServiceName: '広告業，経営の診断又は経営に関する助言', similarCode: '35A01 35B01' },
	{ goodsServiceClass: '42', goodsServiceName: '電子計算機用プログラムの提供', similarCode: '42P02 42X11' },
	{ goodsServiceClass: '25', goodsServiceName: '被服，履物', similarCode: '17A01 21A01 22A01' },
	{ goodsServiceClass: '03', goodsServiceName: '化粧品，せっけん類', similarCode: '04A01 04C01' },
];

/** How a document behaves: who files it and which archive it lands in. */
export type DocumentRole = 'application' | 'submitted' | 'opinion' | 'amendment' | 'refusalNotice' | 'decision' | 'fee' | 'other';

export interface DocumentCodeInfo {
	description: Record<JpoLaw, string>;
	role: DocumentRole;
}

/** Intermediate document codes used by the data set (descriptions as the progress API shows them). */
export const DOCUMENT_CODES: Readonly<Record<string, DocumentCodeInfo>> = {
	A63: { description: { patent: '特許願', design: '意匠登録願', trademark: '商標登録願' }, role: 'application' },
	A621: { description: { patent: '出願審査請求書', design: '出願審査請求書', trademark: '出願審査請求書' }, role: 'submitted' },
	A971007: { description: { patent: '検索報告書', design: '検索報告書', trademark: '検索報告書' }, role: 'other' },
	A131: { description: { patent: '拒絶理由通知書', design: '拒絶理由通知書', trademark: '拒絶理由通知書' }, role: 'refusalNotice' },
	A53: { description: { patent: '意見書', design: '意見書', trademark: '意見書' }, role: 'opinion' },
	A523: { description: { patent: '手続補正書', design: '手続補正書', trademark: '手続補正書' }, role: 'amendment' },
	A01: { description: { patent: '特許査定', design: '登録査定', trademark: '登録査定' }, role: 'decision' },
	A02: { description: { patent: '拒絶査定', design: '拒絶査定', trademark: '拒絶査定' }, role: 'decision' },
	A61: { description: { patent: '登録料納付', design: '登録料納付', trademark: '登録料納付' }, role: 'fee' },
	R100: { description: { patent: '特許料納付書', design: '設定納付書', trademark: '設定納付書' }, role: 'fee' },
	R150: { description: { patent: '特許証', design: '登録証', trademark: '登録証' }, role: 'other' },
	R20: { description: { patent: '年金納付書', design: '年金納付書', trademark: '年金納付書' }, role: 'fee' },
};

/** The parts a patent application (A63) is split into in the progress list, with separators. */
export const PATENT_APPLICATION_PARTS: ReadonlyArray<[string, string]> = [
	['要約書', 'Y'],
	['特許願', 'S'],
	['請求の範囲', 'L'],
	['明細書', 'M'],
	['図面', 'Z'],
];
