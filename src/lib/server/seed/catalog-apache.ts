// Apps whose official image serves PHP through Apache on port 80: WordPress and Nextcloud.
// Both run under Pod Security "restricted" as www-data (uid/gid 33 in their Debian images),
// which their entrypoints support ("Running as an arbitrary user" in
// https://github.com/docker-library/docs/blob/master/php/README.md, which the WordPress
// image's docs point to; Nextcloud's docker-entrypoint.sh runs its steps as the current user
// when it is not root). Apache still binds port 80, a privileged port, so the pod lowers
// `net.ipv4.ip_unprivileged_port_start` to 80, as the php docs advise: that sysctl is namespaced
// per pod and in Kubernetes' safe set, which Pod Security allows at baseline and restricted
// (https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/,
// https://kubernetes.io/docs/concepts/security/pod-security-standards/ "Sysctls"), and no
// capability is added.
//
// The data volume is mounted at /var/www/html: the entrypoints copy the application into it
// on the first start (as the current user) and keep uploads, plugins and config there.
//
// Images: pinned by digest where a public repository pins that exact tag by digest (found
// with find_string "<image>:<tag>@sha256:"); otherwise by the exact version tag, as said.
import type { PodSysctl } from '../db/schema';
import { commonFeatures, tiers, type SeedService } from './templates';

/** www-data in the Debian-based php, WordPress and Nextcloud images. */
const WWW_DATA = 33;
const LOW_PORTS: PodSysctl[] = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }];

const features = (extra: [string[], string[], string[], string[]]) =>
	extra.map((list, index) => [...list, ...commonFeatures[index]]) as [string[], string[], string[], string[]];

/** WordPress's secret keys and salts (wp-config.php), one generated per instance. */
const WORDPRESS_KEYS = ['AUTH', 'SECURE_AUTH', 'LOGGED_IN', 'NONCE'].flatMap((name) => [
	{ name: `WORDPRESS_${name}_KEY`, secret: { length: 64, encoding: 'alphanumeric' as const } },
	{ name: `WORDPRESS_${name}_SALT`, secret: { length: 64, encoding: 'alphanumeric' as const } }
]);

export const apacheServices: SeedService[] = [
	{
		slug: 'wordpress',
		name: 'WordPress',
		category: 'cms',
		description: 'The website and blog platform behind much of the web, with thousands of themes and plugins.',
		longDescription:
			'WordPress builds anything from a personal blog to a business website or an online shop. Pick a theme, add plugins, write in the block editor and publish; your site, media and database stay in your own app.',
		icon: 'newspaper',
		version: '6.8.3',
		// The Apache variant (serves on port 80); the digest is the one public repositories pin for this tag.
		dockerImage: 'wordpress:6.8.3-php8.3-apache@sha256:30bff39330d1693b0ce13d32fc9b7bb67193064f040b7d60d3494e136fa599d4',
		defaultPort: 80,
		// The login page answers without signing in (a redirect to the installer before the
		// first set-up, which probes count as success); the WordPress Helm chart probes it too.
		healthCheckPath: '/wp-login.php',
		// https://github.com/docker-library/docs/blob/master/wordpress/README.md: the installation
		// and wp-content live in /var/www/html, copied there on the first start.
		dataMountPath: '/var/www/html',
		podSecurityLevel: 'restricted',
		runAsUser: WWW_DATA,
		readOnlyRootFilesystem: false,
		writablePaths: [],
		sysctls: LOW_PORTS,
		tags: ['cms', 'blog', 'website', 'php'],
		websiteUrl: 'https://wordpress.org',
		isFeatured: true,
		// The image's docs: WORDPRESS_DB_HOST/USER/PASSWORD/NAME for a MySQL or MariaDB server
		// (the database must exist: the companion creates it).
		companionDatabase: { engine: 'mariadb' },
		envTemplate: [
			{ name: 'WORDPRESS_DB_HOST', companion: 'host' },
			{ name: 'WORDPRESS_DB_USER', companion: 'user' },
			{ name: 'WORDPRESS_DB_PASSWORD', companion: 'password' },
			{ name: 'WORDPRESS_DB_NAME', companion: 'database' },
			// The image's docs: the keys and salts default to random values only when wp-config.php
			// is first written; generated here so each app has its own, kept in its Secret.
			...WORDPRESS_KEYS
		],
		// https://developer.wordpress.org/advanced-administration/before-install/howto-install/ (the famous 5-minute install)
		firstRunSteps: [
			'Open the app: the WordPress installer asks for the site title and your administrator account (the database is already set up).',
			'Under Settings > General, check that the WordPress Address and Site Address are your app’s https address.'
		],
		plans: tiers({
			base: { cpuMilli: 250, memoryMb: 256, storageGb: 2 },
			prices: [35_000, 79_000, 159_000],
			quotas: [40, 80, 40, 15],
			features: features([
				['MariaDB database included', '1 site'],
				['MariaDB database included', '1 site', 'Plugins and themes'],
				['MariaDB database included', '1 site', 'Plugins and themes'],
				['MariaDB database included', '1 site', 'Plugins and themes', 'For busy sites']
			])
		})
	},
	{
		slug: 'nextcloud',
		name: 'Nextcloud',
		category: 'productivity',
		description: 'Files, calendars and contacts in your own cloud, synced to every device.',
		longDescription:
			'Nextcloud keeps your files, photos, calendars and contacts on your own server and syncs them with desktop and mobile apps. Share folders with a link, edit together and add apps from its app store.',
		icon: 'cloud',
		version: '32.0.14',
		// Exact tag of the Apache variant, no public digest pin found.
		dockerImage: 'nextcloud:32.0.14-apache',
		defaultPort: 80,
		// status.php answers JSON (installed, maintenance, version) without signing in:
		// https://docs.nextcloud.com/server/latest/admin_manual/configuration_server/occ_command.html#status
		healthCheckPath: '/status.php',
		// https://github.com/docker-library/docs/blob/master/nextcloud/README.md: "/var/www/html/
		// folder where all Nextcloud data lives" (the app, config, apps and data/).
		dataMountPath: '/var/www/html',
		podSecurityLevel: 'restricted',
		runAsUser: WWW_DATA,
		readOnlyRootFilesystem: false,
		writablePaths: [],
		sysctls: LOW_PORTS,
		tags: ['files', 'cloud storage', 'dropbox alternative', 'calendar', 'contacts'],
		websiteUrl: 'https://nextcloud.com',
		isFeatured: true,
		// The image's docs ("Auto configuration via environment variables"): with all four
		// POSTGRES_* set, the installer does not ask for the database.
		companionDatabase: { engine: 'postgresql' },
		envTemplate: [
			{ name: 'POSTGRES_HOST', companion: 'host' },
			{ name: 'POSTGRES_USER', companion: 'user' },
			{ name: 'POSTGRES_PASSWORD', companion: 'password' },
			{ name: 'POSTGRES_DB', companion: 'database' },
			// The same docs, "Using the apache image behind a reverse proxy": TLS ends at the
			// ingress, so links and redirects must say https and the app's own address.
			{ name: 'OVERWRITEPROTOCOL', value: 'https' },
			{ name: 'OVERWRITECLIURL', derived: 'PUBLIC_URL' },
			{ name: 'NEXTCLOUD_TRUSTED_DOMAINS', derived: 'PUBLIC_HOST' }
		],
		// https://docs.nextcloud.com/server/latest/admin_manual/installation/installation_wizard.html
		firstRunSteps: [
			'Open the app and create the administrator account in the installation wizard (the database is already set up).',
			'Install the desktop or mobile app and sign in with your app’s address to sync your files.'
		],
		plans: tiers({
			base: { cpuMilli: 250, memoryMb: 512, storageGb: 5 },
			prices: [49_000, 109_000, 219_000],
			quotas: [30, 60, 30, 10],
			features: features([
				['PostgreSQL database included', '5 GB of files'],
				['PostgreSQL database included', '10 GB of files'],
				['PostgreSQL database included', '20 GB of files'],
				['PostgreSQL database included', '40 GB of files']
			])
		})
	}
];
