/** JPO result codes (NOTES §4, official spec examples): HTTP status and the exact message. */
export interface JpoStatusInfo {
	http: number;
	message: string;
	/** Whether remainAccessCount is filled in (official examples leave it '' otherwise). */
	showsRemaining: boolean;
}

export const JPO_STATUS: Readonly<Record<string, JpoStatusInfo>> = {
	'100': { http: 200, message: '', showsRemaining: true },
	'107': { http: 200, message: '該当するデータがありません。', showsRemaining: true },
	'108': { http: 200, message: '該当する書類実体がありません。', showsRemaining: true },
	'111': { http: 200, message: '提供対象外の案件番号のため取得できませんでした。', showsRemaining: false },
	'203': { http: 200, message: '1日のアクセス上限を超過したため閲覧を制限します。', showsRemaining: false },
	'204': { http: 200, message: 'パラメーターの入力された値に問題があります。', showsRemaining: false },
	'208': { http: 200, message: '「タブ文字、,、 :、|」の文字は利用できません。', showsRemaining: false },
	'210': { http: 401, message: '無効なトークンです。', showsRemaining: false },
	'212': { http: 401, message: '無効な認証情報です。', showsRemaining: false },
	// The HTTP status of 301 is undocumented; 404 is the least surprising choice for a wrong URL.
	'301': { http: 404, message: '指定された特許情報取得APIのURLは存在しません。', showsRemaining: false },
	'302': { http: 504, message: '処理が時間内に終了しないため、タイムアウトになりました。', showsRemaining: false },
	'303': { http: 429, message: 'アクセスが集中しています。', showsRemaining: false },
	'400': { http: 400, message: '無効なリクエストです。', showsRemaining: false },
	'999': { http: 500, message: '想定外のエラーが発生しました。', showsRemaining: false },
};

/** Codes after which the call counts against the daily quota ("counted once answered"). */
export const COUNTED_STATUSES: ReadonlySet<string> = new Set(['100', '107', '108']);

export function statusInfo(code: string): JpoStatusInfo {
	return JPO_STATUS[code] ?? { http: 200, message: JPO_STATUS['999'].message, showsRemaining: false };
}
