// More of the demo catalog: fourteen apps people host, ten of them with a companion
// database (kube/companion.ts). Every value says where it comes from: the app's Dockerfile
// (its USER, EXPOSE and data directory), its documentation or its own compose file.
//
// Images: pinned by digest only where a public repository pins that exact tag by digest
// (found with find_string "<image>:<tag>@sha256:"); otherwise by the exact version tag,
// which the comment says. Every app runs under Pod Security "restricted" as the non-root
// user its image declares or supports (see security.ts for what restricted adds).
//
// WordPress and Nextcloud, which serve from port 80 through Apache, are in catalog-apache.ts.
// Left out so far: Excalidraw serves from port 80 through nginx as root, Paperless-ngx starts
// s6-overlay as root, and Listmonk needs its install command run first.
import { commonFeatures, tiers, type SeedService } from './templates';

export const moreCategories = [
	{
		slug: 'analytics',
		name: 'Analytics & Dashboards',
		description: 'Know your visitors and chart your data.',
		icon: 'chart-line',
		sortOrder: 7
	},
	{
		slug: 'communication',
		name: 'Communication',
		description: 'Team chat, notifications and feeds.',
		icon: 'message-circle',
		sortOrder: 8
	},
	{
		slug: 'business',
		name: 'Business',
		description: 'Budgets, documents and signatures.',
		icon: 'briefcase',
		sortOrder: 9
	}
];

const features = (extra: [string[], string[], string[], string[]]) =>
	extra.map((list, index) => [...list, ...commonFeatures[index]]) as [string[], string[], string[], string[]];

const withDatabase = ['PostgreSQL database included'];

export const moreServices: SeedService[] = [
	{
		slug: 'grafana',
		name: 'Grafana',
		category: 'analytics',
		description: 'Dashboards and alerts for your metrics, logs and databases.',
		longDescription:
			'Grafana turns metrics from Prometheus, PostgreSQL, MySQL, InfluxDB and dozens of other sources into dashboards, with alerting to e-mail, Telegram and more.',
		icon: 'chart-line',
		version: '12.2.0',
		dockerImage: 'grafana/grafana:12.2.0@sha256:74144189b38447facf737dfd0f3906e42e0776212bf575dc3334c3609183adf7',
		// Port 3000, /api/health and /var/lib/grafana: https://grafana.com/docs/grafana/latest/setup-grafana/installation/docker/
		// and https://grafana.com/docs/grafana/latest/developers/http_api/other/#health-api
		defaultPort: 3000,
		healthCheckPath: '/api/health',
		dataMountPath: '/var/lib/grafana',
		// The image's grafana user is uid 472 (Dockerfile: ARG GF_UID="472").
		podSecurityLevel: 'restricted',
		runAsUser: 472,
		readOnlyRootFilesystem: false,
		writablePaths: [],
		sysctls: [],
		tags: ['dashboards', 'monitoring', 'metrics', 'alerting'],
		websiteUrl: 'https://grafana.com/oss/grafana/',
		isFeatured: false,
		companionDatabase: null,
		// GF_<SECTION>_<KEY> overrides grafana.ini: https://grafana.com/docs/grafana/latest/setup-grafana/configure-grafana/#override-configuration-with-environment-variables
		envTemplate: [
			{ name: 'GF_SERVER_ROOT_URL', derived: 'PUBLIC_URL' },
			{ name: 'GF_SECURITY_ADMIN_USER', value: 'admin' },
			{
				name: 'GF_SECURITY_ADMIN_PASSWORD',
				description: 'Password of the admin user',
				secret: { length: 24, encoding: 'alphanumeric' }
			},
			{ name: 'GF_ANALYTICS_REPORTING_ENABLED', value: 'false' }
		],
		firstRunSteps: [
			'Sign in as admin with the GF_SECURITY_ADMIN_PASSWORD shown below.',
			'Add a data source under Connections > Data sources, then build or import a dashboard.'
		],
		plans: tiers({
			base: { cpuMilli: 250, memoryMb: 256, storageGb: 1 },
			prices: [39_000, 89_000, 179_000],
			quotas: [20, 40, 25, 10],
			features: features([
				['3 dashboards'],
				['Unlimited dashboards'],
				['Unlimited dashboards', 'Alerting'],
				['Unlimited dashboards', 'Alerting']
			])
		})
	},
	{
		slug: 'umami',
		name: 'Umami',
		category: 'analytics',
		description: 'Simple, privacy-friendly website analytics without cookies.',
		longDescription:
			'Umami shows visitors, page views, referrers and events for your websites in one clean dashboard, without cookies and without sending data to anyone else.',
		icon: 'chart-line',
		version: '2.19.0',
		// Exact tag, no public digest pin found.
		dockerImage: 'ghcr.io/umami-software/umami:postgresql-v2.19.0',
		// Dockerfile: EXPOSE 3000, USER nextjs (uid 1001); /api/heartbeat is its health route
		// (https://umami.is/docs/api). Umami keeps everything in PostgreSQL: the volume stays small.
		defaultPort: 3000,
		healthCheckPath: '/api/heartbeat',
		dataMountPath: '/app/data',
		podSecurityLevel: 'restricted',
		runAsUser: 1001,
		readOnlyRootFilesystem: false,
		writablePaths: [],
		sysctls: [],
		tags: ['analytics', 'google analytics alternative', 'privacy', 'web stats'],
		websiteUrl: 'https://umami.is',
		isFeatured: true,
		companionDatabase: { engine: 'postgresql' },
		// DATABASE_URL and APP_SECRET: https://umami.is/docs/environment-variables and the repo's docker-compose.yml.
		envTemplate: [
			{ name: 'DATABASE_URL', companion: 'url' },
			{ name: 'DATABASE_TYPE', value: 'postgresql' },
			{ name: 'APP_SECRET', secret: { length: 32, encoding: 'alphanumeric' } },
			{ name: 'DISABLE_TELEMETRY', value: '1' }
		],
		// https://umami.is/docs/login ("the default login is admin / umami")
		firstRunSteps: [
			'Sign in with the username admin and the password umami, then change the password at once under Settings > Profile.',
			'Add your website under Settings > Websites and paste its tracking code into your site.'
		],
		plans: tiers({
			base: { cpuMilli: 250, memoryMb: 256, storageGb: 1 },
			prices: [29_000, 69_000, 139_000],
			quotas: [25, 50, 30, 10],
			features: features([
				[...withDatabase, '1 website'],
				[...withDatabase, '5 websites'],
				[...withDatabase, 'Unlimited websites'],
				[...withDatabase, 'Unlimited websites']
			])
		})
	},
	{
		slug: 'mattermost',
		name: 'Mattermost',
		category: 'communication',
		description: 'Team chat with channels, threads, calls and integrations.',
		longDescription:
			'Mattermost is an open-source Slack alternative: channels, direct messages, threads, file sharing, playbooks and hundreds of integrations, on a server you control.',
		icon: 'message-circle',
		version: '10.5.2',
		dockerImage:
			'mattermost/mattermost-team-edition:10.5.2@sha256:2268f6d2a422a777496c76d6f253fcaa8e9b561dab780f02c2ca41cd404cca10',
		// Port 8065, /api/v4/system/ping, /mattermost/data and uid 2000 (its Dockerfile: ARG PUID=2000,
		// USER mattermost): https://docs.mattermost.com/install/install-docker.html and the
		// mattermost/docker repository's env.example.
		defaultPort: 8065,
		healthCheckPath: '/api/v4/system/ping',
		dataMountPath: '/mattermost/data',
		podSecurityLevel: 'restricted',
		runAsUser: 2000,
		// It writes its config.json, logs and plugins beside the binary.
		readOnlyRootFilesystem: false,
		writablePaths: [],
		sysctls: [],
		tags: ['chat', 'slack alternative', 'team', 'messaging'],
		websiteUrl: 'https://mattermost.com',
		isFeatured: true,
		companionDatabase: { engine: 'postgresql' },
		// MM_<SECTION>_<SETTING> environment overrides: https://docs.mattermost.com/configure/environment-configuration-settings.html
		envTemplate: [
			{ name: 'MM_SQLSETTINGS_DRIVERNAME', value: 'postgres' },
			{ name: 'MM_SQLSETTINGS_DATASOURCE', companion: 'url' },
			{ name: 'MM_SERVICESETTINGS_SITEURL', derived: 'PUBLIC_URL' },
			{ name: 'MM_BLEVESETTINGS_INDEXDIR', value: '/mattermost/data/bleve-indexes' }
		],
		// https://docs.mattermost.com/install/install-docker.html ("create your first admin account")
		firstRunSteps: [
			'Open the app and create the first account: it becomes the system administrator.',
			'Create your team, then invite people from the team menu > Invite people.'
		],
		plans: tiers({
			base: { cpuMilli: 500, memoryMb: 512, storageGb: 5 },
			prices: [79_000, 159_000, 319_000],
			quotas: [10, 30, 20, 10],
			features: features([
				[...withDatabase, 'Up to 10 users'],
				[...withDatabase, 'Up to 50 users'],
				[...withDatabase, 'Up to 250 users'],
				[...withDatabase, 'Unlimited users']
			])
		})
	},
	{
		slug: 'wikijs',
		name: 'Wiki.js',
		category: 'productivity',
		description: 'A modern wiki with a Markdown and visual editor.',
		longDescription:
			'Wiki.js is a powerful wiki for your team or community: Markdown and WYSIWYG editing, page history, search, fine-grained permissions and a clean reading view.',
		icon: 'book-open',
		version: '2.5.314',
		// Exact tag, no public digest pin found.
		dockerImage: 'ghcr.io/requarks/wiki:2.5.314',
		// dev/build/Dockerfile: USER node (uid 1000), EXPOSE 3000, VOLUME /wiki/data/content;
		// /healthz is its health route. https://docs.requarks.io/install/docker
		defaultPort: 3000,
		healthCheckPath: '/healthz',
		dataMountPath: '/wiki/data/content',
		podSecurityLevel: 'restricted',
		runAsUser: 1000,
		readOnlyRootFilesystem: false,
		writablePaths: [],
		sysctls: [],
		tags: ['wiki', 'documentation', 'knowledge base', 'markdown'],
		websiteUrl: 'https://js.wiki',
		isFeatured: false,
		companionDatabase: { engine: 'postgresql' },
		// DB_TYPE, DB_HOST, DB_PORT, DB_USER, DB_PASS, DB_NAME: https://docs.requarks.io/install/docker
		envTemplate: [
			{ name: 'DB_TYPE', value: 'postgres' },
			{ name: 'DB_HOST', companion: 'host' },
			{ name: 'DB_PORT', companion: 'port' },
			{ name: 'DB_USER', companion: 'user' },
			{ name: 'DB_PASS', companion: 'password' },
			{ name: 'DB_NAME', companion: 'database' }
		],
		// https://docs.requarks.io/install/docker ("complete the setup wizard")
		firstRunSteps: [
			'Open the app: the setup wizard asks for the administrator e-mail and password and the site URL (use the app address).',
			'Sign in and create your home page; set who may read and edit under Administration > Groups.'
		],
		plans: tiers({
			base: { cpuMilli: 250, memoryMb: 384, storageGb: 2 },
			prices: [39_000, 89_000, 179_000],
			quotas: [20, 40, 25, 10],
			features: features([[...withDatabase], [...withDatabase], [...withDatabase, 'SSO login'], [...withDatabase, 'SSO login']])
		})
	},
	{
		slug: 'directus',
		name: 'Directus',
		category: 'cms',
		description: 'A headless CMS and instant REST and GraphQL API for your data.',
		longDescription:
			'Directus wraps a SQL database in a no-code data studio, with REST and GraphQL APIs, roles and permissions, file storage and automation flows.',
		icon: 'database',
		version: '11.17.2',
		dockerImage: 'directus/directus:11.17.2@sha256:5e5978377f1cc9820ffc5b92597da1573a1350ea57f8aba42efd999139993874',
		// Port 8055, /server/health, /directus/uploads and the image's node user (uid 1000):
		// https://directus.io/docs/self-hosting/deploying and https://directus.io/docs/configuration/general
		defaultPort: 8055,
		healthCheckPath: '/server/health',
		dataMountPath: '/directus/uploads',
		podSecurityLevel: 'restricted',
		runAsUser: 1000,
		readOnlyRootFilesystem: false,
		writablePaths: [],
		sysctls: [],
		tags: ['headless cms', 'api', 'database', 'no-code'],
		websiteUrl: 'https://directus.io',
		isFeatured: false,
		companionDatabase: { engine: 'postgresql' },
		// https://directus.io/docs/configuration/database and /configuration/security-limits (SECRET, ADMIN_*)
		envTemplate: [
			{ name: 'SECRET', secret: { length: 48, encoding: 'alphanumeric' } },
			{ name: 'PUBLIC_URL', derived: 'PUBLIC_URL' },
			{ name: 'ADMIN_EMAIL', value: 'admin@example.com' },
			{
				name: 'ADMIN_PASSWORD',
				description: 'Password of the first administrator',
				secret: { length: 20, encoding: 'alphanumeric' }
			},
			{ name: 'DB_CLIENT', value: 'pg' },
			{ name: 'DB_HOST', companion: 'host' },
			{ name: 'DB_PORT', companion: 'port' },
			{ name: 'DB_DATABASE', companion: 'database' },
			{ name: 'DB_USER', companion: 'user' },
			{ name: 'DB_PASSWORD', companion: 'password' }
		],
		firstRunSteps: [
			'Sign in with admin@example.com and the ADMIN_PASSWORD shown below, then change both under your user profile.',
			'Create your first collection in Settings > Data Model; its API is ready at once.'
		],
		plans: tiers({
			base: { cpuMilli: 250, memoryMb: 384, storageGb: 2 },
			prices: [49_000, 99_000, 199_000],
			quotas: [15, 40, 25, 10],
			features: features([[...withDatabase], [...withDatabase], [...withDatabase, 'Flows'], [...withDatabase, 'Flows']])
		})
	},
	{
		slug: 'miniflux',
		name: 'Miniflux',
		category: 'communication',
		description: 'A minimalist, fast RSS and Atom feed reader.',
		longDescription:
			'Miniflux reads your RSS, Atom and JSON feeds in a distraction-free interface, with keyboard shortcuts, full-text fetching, integrations and a Fever/Google Reader API for mobile apps.',
		icon: 'rss',
		version: '2.2.12',
		dockerImage: 'ghcr.io/miniflux/miniflux:2.2.12@sha256:b435a1ea2408f996c8d4c00c4f46523fa9203971ee1e85b1fe7ad3f0e7ae617f',
		// packaging/docker/alpine/Dockerfile: EXPOSE 8080, USER nobody (65534); /healthcheck:
		// https://miniflux.app/docs/docker.html. Everything lives in PostgreSQL.
		defaultPort: 8080,
		healthCheckPath: '/healthcheck',
		dataMountPath: '/data',
		podSecurityLevel: 'restricted',
		runAsUser: 65534,
		readOnlyRootFilesystem: true,
		writablePaths: ['/tmp'],
		sysctls: [],
		tags: ['rss', 'feed reader', 'news'],
		websiteUrl: 'https://miniflux.app',
		isFeatured: false,
		companionDatabase: { engine: 'postgresql' },
		// https://miniflux.app/docs/configuration.html (DATABASE_URL, RUN_MIGRATIONS, CREATE_ADMIN, BASE_URL)
		envTemplate: [
			{ name: 'DATABASE_URL', companion: 'url' },
			{ name: 'RUN_MIGRATIONS', value: '1' },
			{ name: 'CREATE_ADMIN', value: '1' },
			{ name: 'ADMIN_USERNAME', value: 'admin' },
			{ name: 'ADMIN_PASSWORD', description: 'Password of the admin user', secret: { length: 20, encoding: 'alphanumeric' } },
			{ name: 'BASE_URL', derived: 'PUBLIC_URL' }
		],
		firstRunSteps: [
			'Sign in as admin with the ADMIN_PASSWORD shown below.',
			'Add feeds under Feeds > Add subscription, or import an OPML file from your old reader.'
		],
		plans: tiers({
			base: { cpuMilli: 100, memoryMb: 128, storageGb: 1 },
			prices: [15_000, 35_000, 75_000],
			quotas: [40, 80, 40, 15],
			features: features([[...withDatabase], [...withDatabase], [...withDatabase], [...withDatabase]])
		})
	},
	{
		slug: 'vikunja',
		name: 'Vikunja',
		category: 'productivity',
		description: 'To-do lists, kanban boards and projects for you and your team.',
		longDescription:
			'Vikunja organises tasks in lists, kanban boards, Gantt charts and tables, with labels, reminders, sharing and CalDAV sync.',
		icon: 'list-todo',
		version: '0.24.6',
		dockerImage: 'vikunja/vikunja:0.24.6@sha256:ed1f3ed467fecec0b57e9de7bc6607f8bbcbb23ffced6a81f5dfefc794cdbe3b',
		// Dockerfile: USER 1000, EXPOSE 3456, files under /app/vikunja/files;
		// /api/v1/info answers without login. https://vikunja.io/docs/full-docker-example
		defaultPort: 3456,
		healthCheckPath: '/api/v1/info',
		dataMountPath: '/app/vikunja/files',
		podSecurityLevel: 'restricted',
		runAsUser: 1000,
		readOnlyRootFilesystem: true,
		writablePaths: ['/tmp'],
		sysctls: [],
		tags: ['todo', 'kanban', 'tasks', 'project management'],
		websiteUrl: 'https://vikunja.io',
		isFeatured: false,
		companionDatabase: { engine: 'postgresql' },
		// https://vikunja.io/docs/config-options (VIKUNJA_DATABASE_*, VIKUNJA_SERVICE_*)
		envTemplate: [
			{ name: 'VIKUNJA_SERVICE_PUBLICURL', derived: 'PUBLIC_URL' },
			{ name: 'VIKUNJA_SERVICE_JWTSECRET', secret: { length: 48, encoding: 'alphanumeric' } },
			{ name: 'VIKUNJA_DATABASE_TYPE', value: 'postgres' },
			{ name: 'VIKUNJA_DATABASE_HOST', companion: 'host' },
			{ name: 'VIKUNJA_DATABASE_USER', companion: 'user' },
			{ name: 'VIKUNJA_DATABASE_PASSWORD', companion: 'password' },
			{ name: 'VIKUNJA_DATABASE_DATABASE', companion: 'database' }
		],
		firstRunSteps: [
			'Open the app and register your account.',
			'If the app is only for your team, turn registration off: ask support to set VIKUNJA_SERVICE_ENABLEREGISTRATION to false.'
		],
		plans: tiers({
			base: { cpuMilli: 100, memoryMb: 128, storageGb: 1 },
			prices: [19_000, 45_000, 95_000],
			quotas: [40, 80, 40, 15],
			features: features([[...withDatabase], [...withDatabase], [...withDatabase], [...withDatabase]])
		})
	},
	{
		slug: 'actual-budget',
		name: 'Actual Budget',
		category: 'business',
		description: 'Envelope budgeting that keeps your finances private.',
		longDescription:
			'Actual is a fast, local-first personal finance app based on envelope budgeting, with bank import, rules, reports and sync across your devices.',
		icon: 'wallet',
		version: '25.12.0',
		dockerImage:
			'ghcr.io/actualbudget/actual-server:25.12.0@sha256:7f38b450cc3b7523dd5377792895e58b9cf333769e5a27f89e643b6f5fc60565',
		// sync-server.Dockerfile: creates user actual (USER_UID=1001) and chowns /data to it;
		// EXPOSE 5006. /health: https://actualbudget.org/docs/install/docker
		defaultPort: 5006,
		healthCheckPath: '/health',
		dataMountPath: '/data',
		podSecurityLevel: 'restricted',
		runAsUser: 1001,
		readOnlyRootFilesystem: false,
		writablePaths: [],
		sysctls: [],
		tags: ['budget', 'finance', 'money', 'ynab alternative'],
		websiteUrl: 'https://actualbudget.org',
		isFeatured: false,
		companionDatabase: null,
		// https://actualbudget.org/docs/config/ (ACTUAL_PORT, ACTUAL_DATA_DIR)
		envTemplate: [
			{ name: 'ACTUAL_PORT', value: '5006' },
			{ name: 'ACTUAL_DATA_DIR', derived: 'DATA_DIR' }
		],
		firstRunSteps: [
			'Open the app and set the server password: it protects every budget on this server.',
			'Create a budget or import one from YNAB or another Actual file.'
		],
		plans: tiers({
			base: { cpuMilli: 100, memoryMb: 128, storageGb: 1 },
			prices: [15_000, 35_000, 75_000],
			quotas: [40, 80, 40, 15],
			features: features([['1 budget'], ['Unlimited budgets'], ['Unlimited budgets'], ['Unlimited budgets']])
		})
	},
	{
		slug: 'code-server',
		name: 'code-server',
		category: 'dev-tools',
		description: 'VS Code in the browser, on your own server.',
		longDescription:
			'code-server runs Visual Studio Code on a server so you can code from any browser, with extensions, a terminal and your files always in one place.',
		icon: 'code',
		version: '4.104.2',
		// Exact tag, no public digest pin found.
		dockerImage: 'codercom/code-server:4.104.2',
		// ci/release-image/Dockerfile: USER 1000 (coder), EXPOSE 8080; /healthz:
		// https://coder.com/docs/code-server/install#docker and /guide#health-check
		defaultPort: 8080,
		healthCheckPath: '/healthz',
		dataMountPath: '/home/coder',
		podSecurityLevel: 'restricted',
		runAsUser: 1000,
		readOnlyRootFilesystem: false,
		writablePaths: [],
		sysctls: [],
		tags: ['ide', 'vscode', 'editor', 'development'],
		websiteUrl: 'https://coder.com/docs/code-server',
		isFeatured: false,
		companionDatabase: null,
		// PASSWORD: https://coder.com/docs/code-server/FAQ#how-do-i-change-the-password
		envTemplate: [{ name: 'PASSWORD', description: 'Password of the editor', secret: { length: 24, encoding: 'alphanumeric' } }],
		firstRunSteps: [
			'Open the app and enter the PASSWORD shown below.',
			'Your files live in /home/coder; clone a repository from the terminal (Ctrl+`).'
		],
		plans: tiers({
			base: { cpuMilli: 500, memoryMb: 512, storageGb: 5 },
			prices: [59_000, 119_000, 239_000],
			quotas: [10, 30, 20, 10],
			features: features([[], [], ['More CPU for builds'], ['More CPU for builds']])
		})
	},
	{
		slug: 'forgejo',
		name: 'Forgejo',
		category: 'dev-tools',
		description: 'Community-run Git hosting: repositories, pull requests, issues and CI.',
		longDescription:
			'Forgejo is a self-hosted software forge run by a non-profit community: Git repositories, code review, issues, wikis, packages and Actions.',
		icon: 'git-branch',
		version: '11.0.14',
		// Exact tag, no public digest pin found.
		dockerImage: 'codeberg.org/forgejo/forgejo:11.0.14-rootless',
		// The rootless image runs as git (uid 1000), serves on 3000, keeps data in /var/lib/gitea
		// and writes app.ini under /etc/gitea: https://forgejo.org/docs/latest/admin/installation/docker/
		defaultPort: 3000,
		healthCheckPath: '/api/healthz',
		dataMountPath: '/var/lib/gitea',
		podSecurityLevel: 'restricted',
		runAsUser: 1000,
		readOnlyRootFilesystem: false,
		writablePaths: [],
		sysctls: [],
		tags: ['git', 'code hosting', 'forge', 'ci'],
		websiteUrl: 'https://forgejo.org',
		isFeatured: false,
		companionDatabase: { engine: 'postgresql' },
		// FORGEJO__<section>__<KEY>: https://forgejo.org/docs/latest/admin/installation/docker/#configuration
		envTemplate: [
			{ name: 'FORGEJO__server__ROOT_URL', derived: 'PUBLIC_URL' },
			{ name: 'FORGEJO__server__DOMAIN', derived: 'PUBLIC_HOST' },
			{ name: 'FORGEJO__database__DB_TYPE', value: 'postgres' },
			{ name: 'FORGEJO__database__HOST', companion: 'host' },
			{ name: 'FORGEJO__database__NAME', companion: 'database' },
			{ name: 'FORGEJO__database__USER', companion: 'user' },
			{ name: 'FORGEJO__database__PASSWD', companion: 'password' },
			{ name: 'FORGEJO__security__INSTALL_LOCK', value: 'true' },
			{ name: 'FORGEJO__security__SECRET_KEY', secret: { length: 32, encoding: 'alphanumeric' } },
			{ name: 'FORGEJO__security__INTERNAL_TOKEN', secret: { length: 64, encoding: 'alphanumeric' } }
		],
		firstRunSteps: [
			'Open the app and choose Register: the first account becomes the site administrator.',
			'Turn off open registration in Site Administration if the forge is only for your team.'
		],
		plans: tiers({
			base: { cpuMilli: 250, memoryMb: 256, storageGb: 5 },
			prices: [45_000, 95_000, 189_000],
			quotas: [15, 30, 20, 10],
			features: features([
				[...withDatabase, 'Up to 5 repositories'],
				[...withDatabase, 'Unlimited repositories'],
				[...withDatabase, 'Unlimited repositories'],
				[...withDatabase, 'Unlimited repositories']
			])
		})
	},
	{
		slug: 'hedgedoc',
		name: 'HedgeDoc',
		category: 'productivity',
		description: 'Collaborative Markdown notes, edited together in real time.',
		longDescription:
			'HedgeDoc lets a team write Markdown together in the browser, with live preview, diagrams, slides mode and sharing links.',
		icon: 'file-text',
		version: '1.10.3',
		// Exact tag, no public digest pin found.
		dockerImage: 'quay.io/hedgedoc/hedgedoc:1.10.3',
		// hedgedoc/container alpine/Dockerfile: user hedgedoc (ARG UID=10000), EXPOSE 3000; its
		// entrypoint only uses gosu when started as root. /status and the uploads directory:
		// https://docs.hedgedoc.org/setup/docker/
		defaultPort: 3000,
		healthCheckPath: '/status',
		dataMountPath: '/hedgedoc/public/uploads',
		podSecurityLevel: 'restricted',
		runAsUser: 10000,
		readOnlyRootFilesystem: false,
		writablePaths: [],
		sysctls: [],
		tags: ['markdown', 'notes', 'collaboration', 'pastebin'],
		websiteUrl: 'https://hedgedoc.org',
		isFeatured: false,
		companionDatabase: { engine: 'postgresql' },
		// https://docs.hedgedoc.org/configuration/ (CMD_DB_URL, CMD_DOMAIN, CMD_PROTOCOL_USESSL, CMD_SESSION_SECRET)
		envTemplate: [
			{ name: 'CMD_DB_URL', companion: 'url' },
			{ name: 'CMD_DOMAIN', derived: 'PUBLIC_HOST' },
			{ name: 'CMD_PROTOCOL_USESSL', value: 'true' },
			{ name: 'CMD_URL_ADDPORT', value: 'false' },
			{ name: 'CMD_SESSION_SECRET', secret: { length: 48, encoding: 'alphanumeric' } },
			{ name: 'CMD_IMAGE_UPLOAD_TYPE', value: 'filesystem' }
		],
		firstRunSteps: [
			'Open the app and register with your e-mail and a password.',
			'Create a note with "New note"; share it with the Share button.'
		],
		plans: tiers({
			base: { cpuMilli: 100, memoryMb: 256, storageGb: 1 },
			prices: [19_000, 45_000, 95_000],
			quotas: [30, 60, 30, 15],
			features: features([[...withDatabase], [...withDatabase], [...withDatabase], [...withDatabase]])
		})
	},
	{
		slug: 'gotify',
		name: 'Gotify',
		category: 'communication',
		description: 'Send and receive push notifications through your own server.',
		longDescription:
			'Gotify is a simple server for push messages: send them from scripts and apps with one HTTP call and receive them on Android or in the browser.',
		icon: 'bell',
		version: '2.6.3',
		// Exact tag, no public digest pin found.
		dockerImage: 'gotify/server:2.6.3',
		// A single Go binary that keeps its data in /app/data; it runs as any user once its port
		// is above 1024 (GOTIFY_SERVER_PORT). /health: https://gotify.net/docs/install and
		// https://gotify.net/api-docs#/health
		defaultPort: 8080,
		healthCheckPath: '/health',
		dataMountPath: '/app/data',
		podSecurityLevel: 'restricted',
		runAsUser: 1000,
		readOnlyRootFilesystem: true,
		writablePaths: ['/tmp'],
		sysctls: [],
		tags: ['notifications', 'push', 'alerts'],
		websiteUrl: 'https://gotify.net',
		isFeatured: false,
		companionDatabase: null,
		// https://gotify.net/docs/config (GOTIFY_SERVER_PORT, GOTIFY_DEFAULTUSER_*)
		envTemplate: [
			{ name: 'GOTIFY_SERVER_PORT', value: '8080' },
			{ name: 'GOTIFY_DEFAULTUSER_NAME', value: 'admin' },
			{
				name: 'GOTIFY_DEFAULTUSER_PASS',
				description: 'Password of the admin user',
				secret: { length: 20, encoding: 'alphanumeric' }
			},
			{ name: 'TZ', value: 'Asia/Jakarta' }
		],
		firstRunSteps: [
			'Sign in as admin with the GOTIFY_DEFAULTUSER_PASS shown below.',
			'Create an application to get its token, then send messages with POST /message?token=<token>.'
		],
		plans: tiers({
			base: { cpuMilli: 100, memoryMb: 64, storageGb: 1 },
			prices: [10_000, 25_000, 50_000],
			quotas: [50, 80, 40, 20],
			features: features([[], [], [], []])
		})
	},
	{
		slug: 'semaphore',
		name: 'Semaphore UI',
		category: 'automation',
		description: 'A web UI to run Ansible, Terraform and OpenTofu jobs.',
		longDescription:
			'Semaphore UI runs your Ansible playbooks and Terraform/OpenTofu code from a browser, with schedules, inventories, secrets and a history of every run.',
		icon: 'terminal',
		version: '2.16.45',
		// Exact tag, no public digest pin found.
		dockerImage: 'semaphoreui/semaphore:v2.16.45',
		// deployment/docker/server/Dockerfile: USER 1001, data in /var/lib/semaphore; port 3000 and
		// /api/ping: https://docs.semaphoreui.com/administration-guide/installation/docker
		defaultPort: 3000,
		healthCheckPath: '/api/ping',
		dataMountPath: '/var/lib/semaphore',
		podSecurityLevel: 'restricted',
		runAsUser: 1001,
		readOnlyRootFilesystem: false,
		writablePaths: [],
		sysctls: [],
		tags: ['ansible', 'terraform', 'devops', 'automation'],
		websiteUrl: 'https://semaphoreui.com',
		isFeatured: false,
		companionDatabase: { engine: 'postgresql' },
		// https://docs.semaphoreui.com/administration-guide/configuration (SEMAPHORE_DB_*, SEMAPHORE_ADMIN_*)
		envTemplate: [
			{ name: 'SEMAPHORE_DB_DIALECT', value: 'postgres' },
			{ name: 'SEMAPHORE_DB_HOST', companion: 'host' },
			{ name: 'SEMAPHORE_DB_PORT', companion: 'port' },
			{ name: 'SEMAPHORE_DB_USER', companion: 'user' },
			{ name: 'SEMAPHORE_DB_PASS', companion: 'password' },
			{ name: 'SEMAPHORE_DB', companion: 'database' },
			{ name: 'SEMAPHORE_ADMIN', value: 'admin' },
			{ name: 'SEMAPHORE_ADMIN_NAME', value: 'Administrator' },
			{ name: 'SEMAPHORE_ADMIN_EMAIL', value: 'admin@localhost' },
			{
				name: 'SEMAPHORE_ADMIN_PASSWORD',
				description: 'Password of the admin user',
				secret: { length: 20, encoding: 'alphanumeric' }
			},
			{ name: 'SEMAPHORE_WEB_ROOT', derived: 'PUBLIC_URL' }
		],
		firstRunSteps: [
			'Sign in as admin with the SEMAPHORE_ADMIN_PASSWORD shown below.',
			'Create a project, add a key store entry for your Git and SSH access, then a repository, an inventory and a task template.'
		],
		plans: tiers({
			base: { cpuMilli: 250, memoryMb: 256, storageGb: 2 },
			prices: [45_000, 95_000, 189_000],
			quotas: [15, 30, 20, 10],
			features: features([[...withDatabase], [...withDatabase], [...withDatabase], [...withDatabase]])
		})
	},
	{
		slug: 'docuseal',
		name: 'DocuSeal',
		category: 'business',
		description: 'Create, fill and sign documents online.',
		longDescription:
			'DocuSeal is an open-source DocuSign alternative: build PDF forms, send them for signature, and keep an audit trail of every signing.',
		icon: 'file-signature',
		version: '2.3.0',
		// Exact tag, no public digest pin found.
		dockerImage: 'docuseal/docuseal:2.3.0',
		// Dockerfile: user docuseal (uid 2000, owns the app), EXPOSE 3000, WORKDIR /data/docuseal.
		// Its root redirects to the setup page, and a redirect is a successful probe
		// (https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-a-liveness-http-request).
		defaultPort: 3000,
		healthCheckPath: '/',
		dataMountPath: '/data/docuseal',
		podSecurityLevel: 'restricted',
		runAsUser: 2000,
		readOnlyRootFilesystem: false,
		writablePaths: [],
		sysctls: [],
		tags: ['e-signature', 'documents', 'docusign alternative', 'pdf'],
		websiteUrl: 'https://www.docuseal.com',
		isFeatured: false,
		companionDatabase: { engine: 'postgresql' },
		// DATABASE_URL, SECRET_KEY_BASE, HOST: https://www.docuseal.com/docs/configuration and the repo's docker-compose.yml
		envTemplate: [
			{ name: 'DATABASE_URL', companion: 'url' },
			{ name: 'SECRET_KEY_BASE', secret: { length: 128, encoding: 'hex' } },
			{ name: 'HOST', derived: 'PUBLIC_HOST' },
			{ name: 'FORCE_SSL', value: 'false' }
		],
		firstRunSteps: [
			'Open the app: the setup page asks for your name, company, e-mail, password and the app URL (use the app address).',
			'Upload a PDF as a template, place the fields, then send it for signature.'
		],
		plans: tiers({
			base: { cpuMilli: 250, memoryMb: 512, storageGb: 2 },
			prices: [49_000, 99_000, 199_000],
			quotas: [15, 30, 20, 10],
			features: features([[...withDatabase], [...withDatabase], [...withDatabase], [...withDatabase]])
		})
	}
];
