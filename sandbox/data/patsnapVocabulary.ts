/** Invented names and phrases for the PatSnap data set (no real companies or people). */
export const ASSIGNEES_EN: readonly string[] = [
	'NORTHWIND DEVICES LLC',
	'ACME ROBOTICS INC.',
	'BLUE HARBOR SEMICONDUCTOR CORP.',
	'KESTREL MEDICAL SYSTEMS INC.',
	'ORBITAL GRID ENERGY GMBH',
	'LUMEN AUTOMOTIVE AG',
	'SILVERLEAF BIOTECH LTD.',
	'MIRAI DENKI CO., LTD.',
	'TOTO KAGAKU KOGYO KK',
	'HANBIT DISPLAY CO., LTD.',
];

export const ASSIGNEES_CN: readonly string[] = [
	'深圳市星河智能科技有限公司',
	'杭州青松新材料股份有限公司',
	'北京远航通信技术有限公司',
	'苏州明川医疗器械有限公司',
];

export const INVENTOR_NAMES: readonly string[] = [
	'SMITH, JORDAN',
	'GARCIA, ELENA',
	'TANAKA, HIROSHI',
	'MUELLER, KLAUS',
	'KIM, MINJUN',
	'PATEL, ANIKA',
	'LI, WEI',
	'NGUYEN, THAO',
	'ROSSI, MARCO',
	'OKAFOR, CHIDI',
];

export const INVENTOR_NAMES_CN: readonly string[] = ['王磊', '陈静', '刘洋', '张伟', '赵敏'];

export const TITLE_HEADS: readonly string[] = ['Method and system for', 'Apparatus for', 'Device and method for', 'System for', 'Composition and process for'];

export const TITLE_TOPICS: readonly string[] = [
	'estimating battery state of health',
	'sidelink feedback in wireless networks',
	'autonomous vehicle lane keeping',
	'controlling a robotic gripper',
	'low-latency video encoding',
	'detecting food spoilage',
	'manufacturing a semiconductor package',
	'cooling a data center rack',
	'delivering a drug through a catheter',
	'recycling lithium from spent cells',
	'authenticating a user with biometrics',
	'forming an optical film',
];

export const TITLE_TOPICS_CN: readonly string[] = ['一种电池健康状态估计方法', '一种机器人夹持装置', '一种视频编码方法及系统', '一种半导体封装结构', '一种数据中心散热装置'];

export const IPC_CODES: readonly string[] = ['H01M10/48', 'H04W72/04', 'B60W30/12', 'B25J15/08', 'H04N19/42', 'G01N33/02', 'H01L23/31', 'H05K7/20', 'A61M25/00', 'C22B26/12', 'G06F21/32', 'G02B5/30'];

export const COURTS_US: ReadonlyArray<[string, string]> = [
	['U.S. District Court for the Eastern District of Texas', 'Texas'],
	['U.S. District Court for the District of Delaware', 'Delaware'],
	['U.S. District Court for the Northern District of California', 'California'],
];

/** US file-wrapper document codes with the descriptions PatSnap shows for them. */
export const US_DOC_CODES: Readonly<Record<string, string>> = {
	ADS: 'Application Data Sheet',
	SPEC: 'Specification',
	CLM: 'Claims',
	ABST: 'Abstract',
	DRW: 'Drawings-only black and white line drawings',
	IDS: 'Information Disclosure Statement (IDS) Form (SB08)',
	CTRS: 'Requirement for Restriction/Election',
	CTNF: 'Non-Final Rejection',
	REM: 'Applicant Arguments/Remarks Made in an Amendment',
	CTFR: 'Final Rejection',
	RCEX: 'Request for Continued Examination (RCE)',
	EXIN: 'Examiner Interview Summary Record (PTOL - 413)',
	SRFW: 'Search information including classification, databases and other search related notes',
	FWCLM: 'Index of Claims',
	NOA: 'Notice of Allowance and Fees Due (PTOL-85)',
	IFEE: 'Issue Fee Payment (PTO-85B)',
	'ISSUE.NTF': 'Issue Notification',
};

export const EP_DOC_CODES: Readonly<Record<string, string>> = {
	EPSR: 'European search report',
	EPSO: 'European search opinion',
	EPEX: 'Communication from the Examining Division',
	EPRE: 'Reply to communication from the Examining Division',
	EPIG: 'Communication about intention to grant a European patent',
	EPDG: 'Decision to grant a European patent',
};
