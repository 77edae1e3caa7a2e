import type { FailureKind } from '../shared/failure';

/**
 * Every JPO `statusCode`, from the official OpenAPI spec and the API status page, with the HTTP
 * status JPO pairs it with. 107 and 108 are answers ("nothing there"), not failures.
 */
export type JpoOutcome =
	| { type: 'success' }
	| { type: 'empty'; reason: 'noData' | 'noDocuments' }
	| { type: 'failure'; kind: FailureKind; rateLimited?: boolean };

export interface JpoStatus {
	code: string;
	httpStatus: number | undefined;
	outcome: JpoOutcome;
	/** JPO's own message, kept verbatim. */
	messageJa: string;
	messageEn: string;
	advice: string;
}

const rows: JpoStatus[] = [
	{ code: '100', httpStatus: 200, outcome: { type: 'success' }, messageJa: '', messageEn: 'Success', advice: '' },
	{
		code: '107',
		httpStatus: 200,
		outcome: { type: 'empty', reason: 'noData' },
		messageJa: '該当するデータがありません。',
		messageEn: 'No data for this parameter',
		advice: 'The number or name is unknown to JPO; names must match exactly, including spaces.',
	},
	{
		code: '108',
		httpStatus: 200,
		outcome: { type: 'empty', reason: 'noDocuments' },
		messageJa: '該当する書類実体がありません。',
		messageEn: 'No documents of this kind for this application',
		advice: '',
	},
	{
		code: '111',
		httpStatus: 200,
		outcome: { type: 'failure', kind: 'input' },
		messageJa: '提供対象外の案件番号のため取得できませんでした。',
		messageEn: 'This number is outside the range the API provides',
		advice: 'Publication numbers are provided for the Heisei and Reiwa eras only.',
	},
	{
		code: '203',
		httpStatus: 200,
		outcome: { type: 'failure', kind: 'quota' },
		messageJa: '1日のアクセス上限を超過したため閲覧を制限します。',
		messageEn: 'The daily access limit of {api} is used up',
		advice: 'The limit resets at 00:00 JST.',
	},
	{
		code: '204',
		httpStatus: 200,
		outcome: { type: 'failure', kind: 'input' },
		messageJa: 'パラメーターの入力された値に問題があります。',
		messageEn: 'A parameter value is invalid',
		advice: 'Check the number format and the kind of number selected.',
	},
	{
		code: '208',
		httpStatus: 200,
		outcome: { type: 'failure', kind: 'input' },
		messageJa: '「タブ文字、,、 :、|」の文字は利用できません。',
		messageEn: 'A parameter contains a forbidden character (tab , ; : |)',
		advice: 'Remove tabs, commas, semicolons, colons and vertical bars from the value.',
	},
	{
		code: '210',
		httpStatus: 401,
		outcome: { type: 'failure', kind: 'auth' },
		messageJa: '無効なトークンです。',
		messageEn: 'The access token is invalid or expired',
		advice: 'The token was renewed once and still refused: check the credential.',
	},
	{
		code: '212',
		httpStatus: undefined,
		outcome: { type: 'failure', kind: 'auth' },
		messageJa: '無効な認証情報です。',
		messageEn: 'Invalid authentication information',
		advice: 'Check the ID and password in the JPO credential.',
	},
	{
		code: '301',
		httpStatus: undefined,
		outcome: { type: 'failure', kind: 'configuration' },
		messageJa: '指定された特許情報取得APIのURLは存在しません。',
		messageEn: 'JPO does not know the address of {api}',
		advice: 'Check the API Base URL in the JPO credential.',
	},
	{
		code: '302',
		httpStatus: 504,
		outcome: { type: 'failure', kind: 'transient' },
		messageJa: '処理が時間内に終了しないため、タイムアウトになりました。',
		messageEn: 'JPO timed out while processing the request',
		advice: 'Retried with backoff; try again later if it persists.',
	},
	{
		code: '303',
		httpStatus: 429,
		outcome: { type: 'failure', kind: 'transient', rateLimited: true },
		messageJa: 'アクセスが集中しています。',
		messageEn: 'Too many requests (per-minute limit or server load)',
		advice: 'Retried after a pause; lower the requests-per-minute setting if it persists.',
	},
	{
		code: '400',
		httpStatus: undefined,
		outcome: { type: 'failure', kind: 'input' },
		messageJa: '無効なリクエストです。',
		messageEn: 'Invalid request',
		advice: 'Check the parameters of this operation.',
	},
	{
		code: '999',
		httpStatus: 500,
		outcome: { type: 'failure', kind: 'transient' },
		messageJa: '想定外のエラーが発生しました。',
		messageEn: 'Unexpected error at JPO',
		advice: 'Retried a limited number of times.',
	},
];

export const JPO_STATUS_CODES: ReadonlyMap<string, JpoStatus> = new Map(rows.map((row) => [row.code, row]));

export function jpoStatus(code: string): JpoStatus {
	return (
		JPO_STATUS_CODES.get(code) ?? {
			code,
			httpStatus: undefined,
			outcome: { type: 'failure', kind: 'unexpected' },
			messageJa: '',
			messageEn: `Undocumented JPO status code ${code}`,
			advice: 'Please report this code to the package maintainers.',
		}
	);
}
