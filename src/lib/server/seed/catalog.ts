// The demo catalog: apps people actually self-host, with images pinned by digest (the tag
// kept in front for people to read), their real ports, health-check paths and data
// directories, and the environment each needs (secrets are generated per instance, URLs
// derived from the instance's public address).
//
// Every app runs under Pod Security "restricted": as a non-root user (the image's own, or
// its rootless variant's), with fsGroup making the data volume writable, no privilege
// escalation, all capabilities dropped and the RuntimeDefault seccomp profile. Where the
// app only writes to its data volume and a few scratch paths, the root filesystem is
// read-only and those paths get emptyDirs.
//
// The digests are those of the tags' multi-platform indexes as published in public
// repositories that pin them; check one with `crane digest <image>:<tag>` before changing it.
import { apacheServices } from './catalog-apache';
import { moreCategories, moreServices } from './catalog-more';
import { commonFeatures, tiers, type SeedService } from './templates';

export type { SeedPlan, SeedService } from './templates';

const firstCategories = [
	{
		slug: 'automation',
		name: 'Automation',
		description: 'Workflows and integrations that run on their own.',
		icon: 'workflow',
		sortOrder: 1
	},
	{
		slug: 'cms',
		name: 'CMS & Blogging',
		description: 'Publish websites, blogs and newsletters.',
		icon: 'newspaper',
		sortOrder: 2
	},
	{
		slug: 'monitoring',
		name: 'Monitoring',
		description: 'Know when your sites and services go down.',
		icon: 'activity',
		sortOrder: 3
	},
	{
		slug: 'dev-tools',
		name: 'Developer Tools',
		description: 'Code hosting and tools for software teams.',
		icon: 'git-branch',
		sortOrder: 4
	},
	{
		slug: 'security',
		name: 'Security',
		description: 'Passwords and secrets under your own control.',
		icon: 'shield',
		sortOrder: 5
	},
	{
		slug: 'productivity',
		name: 'Productivity',
		description: 'Notes, knowledge and everyday tools.',
		icon: 'notebook-pen',
		sortOrder: 6
	}
];

const firstServices: SeedService[] = [
	{
		slug: 'n8n',
		name: 'n8n',
		category: 'automation',
		description: 'Workflow automation with 400+ integrations and a visual editor.',
		longDescription:
			'n8n connects your apps and automates your business processes with a node-based editor. Build workflows with webhooks, schedules, code steps and hundreds of ready-made integrations.',
		icon: 'workflow',
		version: '1.123.81',
		dockerImage: 'n8nio/n8n:1.123.81@sha256:0d7b776e0867c415dcb382d24d371a3b0aa402fcba9a9a866f42474abdabf7da',
		defaultPort: 5678,
		healthCheckPath: '/healthz',
		dataMountPath: '/home/node/.n8n',
		// The image runs as `node` (1000); n8n writes its editor's static files to ~/.cache.
		podSecurityLevel: 'restricted',
		runAsUser: 1000,
		readOnlyRootFilesystem: true,
		writablePaths: ['/tmp', '/home/node/.cache'],
		sysctls: [],
		tags: ['automation', 'workflow', 'integration', 'zapier alternative', 'low-code'],
		websiteUrl: 'https://n8n.io',
		isFeatured: true,
		companionDatabase: null,
		envTemplate: [
			{ name: 'N8N_ENCRYPTION_KEY', description: 'Encrypts stored credentials', secret: { length: 32, encoding: 'hex' } },
			{ name: 'N8N_HOST', derived: 'PUBLIC_HOST' },
			{ name: 'N8N_PROTOCOL', value: 'https' },
			{ name: 'N8N_PORT', value: '5678' },
			{ name: 'WEBHOOK_URL', derived: 'PUBLIC_URL' },
			{ name: 'GENERIC_TIMEZONE', value: 'Asia/Jakarta' },
			{ name: 'N8N_DIAGNOSTICS_ENABLED', value: 'false' }
		],
		// https://docs.n8n.io/hosting/configuration/user-management-self-hosted/
		firstRunSteps: [
			'Open the app: n8n asks for an owner account (e-mail, name, password) on the first visit. Create it right away, since the first visitor becomes the owner.',
			'N8N_ENCRYPTION_KEY encrypts the credentials your workflows store. Keep a copy: it is needed to restore them elsewhere, and rotating it makes stored credentials unreadable.'
		],
		plans: tiers({
			base: { cpuMilli: 250, memoryMb: 256, storageGb: 1 },
			prices: [49_000, 99_000, 199_000],
			quotas: [20, 50, 30, 10],
			features: [
				['5 active workflows', ...commonFeatures[0]],
				['Unlimited workflows', ...commonFeatures[1]],
				['Unlimited workflows', 'Webhook queue', ...commonFeatures[2]],
				['Unlimited workflows', 'Webhook queue', ...commonFeatures[3]]
			]
		})
	},
	{
		slug: 'ghost',
		name: 'Ghost',
		category: 'cms',
		description: 'Professional publishing platform for blogs, newsletters and memberships.',
		longDescription:
			'Ghost is a fast, modern publishing platform. Write with a clean editor, send newsletters, and run paid memberships from one place.',
		icon: 'newspaper',
		version: '6.52.1',
		dockerImage: 'ghost:6.52.1-alpine@sha256:471756274a224437d983ba0abd882d9bd735de33a3a44a9338596ebb2f206f6b',
		defaultPort: 2368,
		healthCheckPath: '/ghost/api/admin/site/',
		dataMountPath: '/var/lib/ghost/content',
		// The official image's entrypoint "allows the container to be started with --user":
		// started as `node` (1000) it skips its chown and seeds the content volume itself.
		// https://github.com/docker-library/ghost/blob/master/docker-entrypoint.sh
		podSecurityLevel: 'restricted',
		runAsUser: 1000,
		readOnlyRootFilesystem: true,
		writablePaths: ['/tmp'],
		sysctls: [],
		tags: ['blog', 'cms', 'newsletter', 'publishing', 'membership'],
		websiteUrl: 'https://ghost.org',
		isFeatured: true,
		companionDatabase: null,
		envTemplate: [
			{ name: 'url', derived: 'PUBLIC_URL' },
			{ name: 'database__client', value: 'sqlite3' },
			{ name: 'database__connection__filename', value: '/var/lib/ghost/content/data/ghost.db' },
			{ name: 'NODE_ENV', value: 'production' }
		],
		// https://ghost.org/docs/install/docker/ ("visit /ghost to set up your admin account")
		firstRunSteps: [
			'Open the app address followed by /ghost and create the owner account of your site.',
			'Invite your staff from Settings > Staff; your readers sign up on the site itself.'
		],
		plans: tiers({
			base: { cpuMilli: 250, memoryMb: 256, storageGb: 2 },
			prices: [59_000, 119_000, 249_000],
			quotas: [15, 40, 25, 10],
			features: [
				['1 staff user', ...commonFeatures[0]],
				['3 staff users', 'Newsletters', ...commonFeatures[1]],
				['Unlimited staff', 'Newsletters', 'Paid memberships', ...commonFeatures[2]],
				['Unlimited staff', 'Newsletters', 'Paid memberships', ...commonFeatures[3]]
			]
		})
	},
	{
		slug: 'uptime-kuma',
		name: 'Uptime Kuma',
		category: 'monitoring',
		description: 'Self-hosted uptime monitoring with status pages and alerts.',
		longDescription:
			'Uptime Kuma watches HTTP(S), TCP, DNS and more, shows beautiful status pages and alerts you through Telegram, WhatsApp, email and 90+ other channels.',
		icon: 'activity',
		version: '2.0.2',
		dockerImage: 'louislam/uptime-kuma:2.0.2@sha256:4c364ef96aaddac7ec4c85f5e5f31c3394d35f631381ccbbf93f18fd26ac7cba',
		defaultPort: 3001,
		healthCheckPath: '/',
		dataMountPath: '/app/data',
		// Its "rootless" image is this image with `USER node` (1000); the app files belong to
		// node, so running as 1000 is the same. https://github.com/louislam/uptime-kuma/blob/2.0.2/docker/dockerfile
		// It writes outside its data directory (browser monitors, its own DNS cache), so its
		// root filesystem stays writable.
		podSecurityLevel: 'restricted',
		runAsUser: 1000,
		readOnlyRootFilesystem: false,
		writablePaths: [],
		sysctls: [],
		tags: ['monitoring', 'uptime', 'status page', 'alerts'],
		websiteUrl: 'https://uptime.kuma.pet',
		isFeatured: true,
		companionDatabase: null,
		envTemplate: [
			{ name: 'UPTIME_KUMA_PORT', value: '3001' },
			{ name: 'TZ', value: 'Asia/Jakarta' }
		],
		// https://github.com/louislam/uptime-kuma/wiki/%F0%9F%94%A7-How-to-Install ("create your admin account")
		firstRunSteps: [
			'Open the app: on the first visit Uptime Kuma asks you to create the admin account. Do it right away.',
			'Add your first monitor with "Add New Monitor" and set up notifications under Settings > Notifications.'
		],
		plans: tiers({
			base: { cpuMilli: 100, memoryMb: 128, storageGb: 1 },
			prices: [25_000, 49_000, 99_000],
			quotas: [30, 60, 40, 15],
			features: [
				['20 monitors', ...commonFeatures[0]],
				['100 monitors', 'Status pages', ...commonFeatures[1]],
				['Unlimited monitors', 'Status pages', ...commonFeatures[2]],
				['Unlimited monitors', 'Status pages', ...commonFeatures[3]]
			]
		})
	},
	{
		slug: 'gitea',
		name: 'Gitea',
		category: 'dev-tools',
		description: 'Lightweight Git hosting with pull requests, issues and CI.',
		longDescription:
			'Gitea is a painless self-hosted Git service: repositories, code review, issue tracking, package registry and Actions, in a single small binary.',
		icon: 'git-branch',
		version: '1.27.3',
		dockerImage: 'gitea/gitea:1.27.3-rootless@sha256:1c17ecaead42eb3b5391553d8708103a4beb0e86edf5b9ebc1eb269c318845f2',
		defaultPort: 3000,
		healthCheckPath: '/api/healthz',
		dataMountPath: '/var/lib/gitea',
		// The rootless image runs as `git` (1000). It writes its app.ini under /etc/gitea at
		// start, so its root filesystem stays writable.
		podSecurityLevel: 'restricted',
		runAsUser: 1000,
		readOnlyRootFilesystem: false,
		writablePaths: [],
		sysctls: [],
		tags: ['git', 'code hosting', 'devops', 'github alternative', 'ci'],
		websiteUrl: 'https://about.gitea.com',
		isFeatured: false,
		companionDatabase: null,
		envTemplate: [
			{ name: 'GITEA__server__ROOT_URL', derived: 'PUBLIC_URL' },
			{ name: 'GITEA__server__DOMAIN', derived: 'PUBLIC_HOST' },
			{ name: 'GITEA__database__DB_TYPE', value: 'sqlite3' },
			{ name: 'GITEA__security__INSTALL_LOCK', value: 'true' },
			{ name: 'GITEA__security__SECRET_KEY', secret: { length: 32, encoding: 'alphanumeric' } },
			{ name: 'GITEA__security__INTERNAL_TOKEN', secret: { length: 64, encoding: 'alphanumeric' } },
			// Gitea would generate these into app.ini, which lives only as long as the pod.
			{ name: 'GITEA__oauth2__JWT_SECRET', secret: { length: 43, encoding: 'base64url' } },
			{ name: 'GITEA__server__LFS_JWT_SECRET', secret: { length: 43, encoding: 'base64url' } }
		],
		// https://docs.gitea.com/installation/install-with-docker-rootless (INSTALL_LOCK skips the
		// installer). The first account registered becomes the administrator: Gitea's
		// routers/web/auth/auth.go handleUserCreated, "Auto-set admin for the only user"
		// (CountUsers == 1 makes it IsAdmin and IsActive).
		firstRunSteps: [
			'Open the app and choose Register: the first account created becomes the site administrator.',
			'Then, if the site is only for your team, turn off open registration in Site Administration.',
			'Clone and push over HTTPS with the app address; the generated keys below sign sessions and tokens and need no action.'
		],
		plans: tiers({
			base: { cpuMilli: 250, memoryMb: 256, storageGb: 5 },
			prices: [39_000, 89_000, 179_000],
			quotas: [20, 40, 25, 10],
			features: [
				['Up to 5 repositories', ...commonFeatures[0]],
				['Unlimited repositories', ...commonFeatures[1]],
				['Unlimited repositories', 'Actions runners', ...commonFeatures[2]],
				['Unlimited repositories', 'Actions runners', ...commonFeatures[3]]
			]
		})
	},
	{
		slug: 'vaultwarden',
		name: 'Vaultwarden',
		category: 'security',
		description: 'Bitwarden-compatible password manager for you and your team.',
		longDescription:
			'Vaultwarden is a lightweight server compatible with the official Bitwarden apps and browser extensions. Keep your passwords on a server you control.',
		icon: 'shield',
		version: '1.37.1',
		dockerImage: 'vaultwarden/server:1.37.1@sha256:ebdfe70701c60ac0c28c697e787cea767d7972940b786037b29fe0d507f821e8',
		defaultPort: 8080,
		healthCheckPath: '/alive',
		dataMountPath: '/data',
		// Runs as any user given a port above 1024 (ROCKET_PORT) and a writable /data.
		podSecurityLevel: 'restricted',
		runAsUser: 1000,
		readOnlyRootFilesystem: true,
		writablePaths: ['/tmp'],
		sysctls: [],
		tags: ['password manager', 'bitwarden', 'security', 'secrets'],
		websiteUrl: 'https://github.com/dani-garcia/vaultwarden',
		isFeatured: true,
		companionDatabase: null,
		envTemplate: [
			{ name: 'DOMAIN', derived: 'PUBLIC_URL' },
			{ name: 'ROCKET_PORT', value: '8080' },
			{ name: 'ADMIN_TOKEN', description: 'Opens the /admin page', secret: { length: 48, encoding: 'base64url' } },
			{ name: 'SIGNUPS_ALLOWED', value: 'true' }
		],
		// https://github.com/dani-garcia/vaultwarden/wiki/Enabling-admin-page
		firstRunSteps: [
			'Open the app and choose "Create account" to make your own vault account.',
			'The admin page is at the app address followed by /admin; it asks for the ADMIN_TOKEN shown below.',
			'Once your team has accounts, turn off "Allow new signups" in the admin page under General settings.'
		],
		plans: tiers({
			base: { cpuMilli: 100, memoryMb: 128, storageGb: 1 },
			prices: [19_000, 45_000, 95_000],
			quotas: [40, 80, 40, 20],
			features: [
				['1 user', ...commonFeatures[0]],
				['Up to 5 users', 'Organizations', ...commonFeatures[1]],
				['Up to 25 users', 'Organizations', ...commonFeatures[2]],
				['Unlimited users', 'Organizations', ...commonFeatures[3]]
			]
		})
	},
	{
		slug: 'memos',
		name: 'Memos',
		category: 'productivity',
		description: 'A privacy-first note-taking service for quick thoughts and knowledge.',
		longDescription:
			'Memos is an open-source, lightweight note-taking service. Capture ideas in Markdown, tag them, and share them publicly or keep them private.',
		icon: 'notebook-pen',
		version: '0.30.0',
		dockerImage: 'neosmemo/memos:0.30.0@sha256:71a5b4738d1bed96e92112004054f0888e92791b64eb78afd79077c96e6f9327',
		defaultPort: 5230,
		healthCheckPath: '/healthz',
		dataMountPath: '/var/opt/memos',
		// Since 0.26 the image has a `nonroot` user (10001); its entrypoint only drops to it
		// when started as root, so starting as 10001 is the same.
		// https://github.com/usememos/memos/blob/main/scripts/Dockerfile
		podSecurityLevel: 'restricted',
		runAsUser: 10001,
		readOnlyRootFilesystem: true,
		writablePaths: ['/tmp'],
		sysctls: [],
		tags: ['notes', 'markdown', 'knowledge base', 'journal'],
		websiteUrl: 'https://www.usememos.com',
		isFeatured: false,
		companionDatabase: null,
		envTemplate: [
			{ name: 'MEMOS_PORT', value: '5230' },
			{ name: 'MEMOS_DATA', derived: 'DATA_DIR' },
			{ name: 'MEMOS_INSTANCE_URL', derived: 'PUBLIC_URL' }
		],
		// https://www.usememos.com/docs/install/container-install (the first user becomes the host)
		firstRunSteps: [
			'Open the app and sign up: the first account becomes the host (administrator) of this Memos.',
			'As the host, turn off new sign-ups in Settings > System if the app is only for you.'
		],
		plans: tiers({
			base: { cpuMilli: 100, memoryMb: 128, storageGb: 1 },
			prices: [15_000, 35_000, 75_000],
			quotas: [50, 80, 40, 15],
			features: [
				['Personal use', ...commonFeatures[0]],
				['Up to 5 users', ...commonFeatures[1]],
				['Up to 50 users', ...commonFeatures[2]],
				['Unlimited users', ...commonFeatures[3]]
			]
		})
	}
];

/**
 * Every seeded app: the first six above and the rest of the catalog (catalog-more.ts,
 * catalog-apache.ts). New apps go at the end: an existing installation gets them on its next
 * start (seed/index.ts), after the apps it has.
 */
export const seedServices: SeedService[] = [...firstServices, ...moreServices, ...apacheServices];
export const seedCategories = [...firstCategories, ...moreCategories];
