// The seeded catalog's texts in Indonesian, by their English text (seed/translations.ts puts
// them in each entry's `translations.id`). Every English text of the seed has one here: a
// test holds the seed to that.
export const INDONESIAN: Record<string, string> = {
	Automation: 'Otomasi',
	'Workflows and integrations that run on their own.': 'Alur kerja dan integrasi yang berjalan dengan sendirinya.',
	'CMS & Blogging': 'CMS & Blog',
	'Publish websites, blogs and newsletters.': 'Terbitkan situs web, blog, dan newsletter.',
	Monitoring: 'Pemantauan',
	'Know when your sites and services go down.': 'Ketahui segera saat situs dan layanan Anda tidak dapat diakses.',
	'Developer Tools': 'Alat Pengembang',
	'Code hosting and tools for software teams.': 'Hosting kode dan alat bantu untuk tim pengembang perangkat lunak.',
	Security: 'Keamanan',
	'Passwords and secrets under your own control.': 'Kata sandi dan rahasia di bawah kendali Anda sendiri.',
	Productivity: 'Produktivitas',
	'Notes, knowledge and everyday tools.': 'Catatan, basis pengetahuan, dan alat sehari-hari.',
	'Analytics & Dashboards': 'Analitik & Dasbor',
	'Know your visitors and chart your data.': 'Kenali pengunjung Anda dan sajikan data Anda dalam grafik.',
	Communication: 'Komunikasi',
	'Team chat, notifications and feeds.': 'Chat tim, notifikasi, dan feed.',
	Business: 'Bisnis',
	'Budgets, documents and signatures.': 'Anggaran, dokumen, dan tanda tangan.',
	'Workflow automation with 400+ integrations and a visual editor.':
		'Otomasi alur kerja dengan 400+ integrasi dan editor visual.',
	'n8n connects your apps and automates your business processes with a node-based editor. Build workflows with webhooks, schedules, code steps and hundreds of ready-made integrations.':
		'n8n menghubungkan aplikasi Anda dan mengotomasi proses bisnis Anda dengan editor berbasis node. Bangun alur kerja dengan webhook, jadwal, langkah kode, dan ratusan integrasi siap pakai.',
	'Open the app: n8n asks for an owner account (e-mail, name, password) on the first visit. Create it right away, since the first visitor becomes the owner.':
		'Buka aplikasi: pada kunjungan pertama, n8n meminta akun pemilik (e-mail, nama, kata sandi). Segera buat akun itu, karena pengunjung pertama akan menjadi pemiliknya.',
	'N8N_ENCRYPTION_KEY encrypts the credentials your workflows store. Keep a copy: it is needed to restore them elsewhere, and rotating it makes stored credentials unreadable.':
		'N8N_ENCRYPTION_KEY mengenkripsi kredensial yang disimpan alur kerja Anda. Simpan salinannya: kunci ini diperlukan untuk memulihkan kredensial itu di tempat lain, dan menggantinya membuat kredensial yang tersimpan tidak dapat dibaca.',
	'Encrypts stored credentials': 'Mengenkripsi kredensial yang tersimpan',
	'Try it out at no cost.': 'Coba tanpa biaya.',
	'5 active workflows': '5 alur kerja aktif',
	'HTTPS subdomain': 'Subdomain HTTPS',
	'Community support': 'Dukungan komunitas',
	'For personal projects.': 'Untuk proyek pribadi.',
	'Unlimited workflows': 'Alur kerja tanpa batas',
	'Email support': 'Dukungan lewat e-mail',
	'For small teams and businesses.': 'Untuk tim kecil dan bisnis.',
	'Webhook queue': 'Antrean webhook',
	'Priority support': 'Dukungan prioritas',
	'For heavy workloads.': 'Untuk beban kerja berat.',
	'Dedicated resources': 'Sumber daya khusus',
	'Professional publishing platform for blogs, newsletters and memberships.':
		'Platform penerbitan profesional untuk blog, newsletter, dan keanggotaan.',
	'Ghost is a fast, modern publishing platform. Write with a clean editor, send newsletters, and run paid memberships from one place.':
		'Ghost adalah platform penerbitan yang cepat dan modern. Tulis dengan editor yang rapi, kirim newsletter, dan kelola keanggotaan berbayar dari satu tempat.',
	'Open the app address followed by /ghost and create the owner account of your site.':
		'Buka alamat aplikasi diikuti /ghost, lalu buat akun pemilik situs Anda.',
	'Invite your staff from Settings > Staff; your readers sign up on the site itself.':
		'Undang staf Anda dari Settings > Staff; pembaca Anda mendaftar langsung di situs.',
	'1 staff user': '1 pengguna staf',
	'3 staff users': '3 pengguna staf',
	Newsletters: 'Newsletter',
	'Unlimited staff': 'Staf tanpa batas',
	'Paid memberships': 'Keanggotaan berbayar',
	'Self-hosted uptime monitoring with status pages and alerts.':
		'Pemantauan uptime yang di-host sendiri, dengan halaman status dan peringatan.',
	'Uptime Kuma watches HTTP(S), TCP, DNS and more, shows beautiful status pages and alerts you through Telegram, WhatsApp, email and 90+ other channels.':
		'Uptime Kuma memantau HTTP(S), TCP, DNS, dan lainnya, menampilkan halaman status yang menarik, serta memberi Anda peringatan lewat Telegram, WhatsApp, e-mail, dan 90+ saluran lainnya.',
	'Open the app: on the first visit Uptime Kuma asks you to create the admin account. Do it right away.':
		'Buka aplikasi: pada kunjungan pertama, Uptime Kuma meminta Anda membuat akun admin. Segera lakukan.',
	'Add your first monitor with "Add New Monitor" and set up notifications under Settings > Notifications.':
		'Tambahkan monitor pertama Anda dengan "Add New Monitor", lalu atur notifikasi di Settings > Notifications.',
	'20 monitors': '20 monitor',
	'100 monitors': '100 monitor',
	'Status pages': 'Halaman status',
	'Unlimited monitors': 'Monitor tanpa batas',
	'Lightweight Git hosting with pull requests, issues and CI.': 'Hosting Git yang ringan dengan pull request, issue, dan CI.',
	'Gitea is a painless self-hosted Git service: repositories, code review, issue tracking, package registry and Actions, in a single small binary.':
		'Gitea adalah layanan Git yang di-host sendiri tanpa repot: repository, code review, pelacakan issue, package registry, dan Actions, dalam satu binary kecil.',
	'Open the app and choose Register: the first account created becomes the site administrator.':
		'Buka aplikasi dan pilih Register: akun pertama yang dibuat menjadi administrator situs.',
	'Then, if the site is only for your team, turn off open registration in Site Administration.':
		'Lalu, jika situs hanya untuk tim Anda, matikan pendaftaran terbuka di Site Administration.',
	'Clone and push over HTTPS with the app address; the generated keys below sign sessions and tokens and need no action.':
		'Lakukan clone dan push lewat HTTPS dengan alamat aplikasi; kunci yang dibuat di bawah ini menandatangani sesi dan token, dan tidak memerlukan tindakan apa pun.',
	'Up to 5 repositories': 'Hingga 5 repository',
	'Unlimited repositories': 'Repository tanpa batas',
	'Actions runners': 'Runner Actions',
	'Bitwarden-compatible password manager for you and your team.':
		'Pengelola kata sandi yang kompatibel dengan Bitwarden untuk Anda dan tim Anda.',
	'Vaultwarden is a lightweight server compatible with the official Bitwarden apps and browser extensions. Keep your passwords on a server you control.':
		'Vaultwarden adalah server ringan yang kompatibel dengan aplikasi dan ekstensi browser resmi Bitwarden. Simpan kata sandi Anda di server yang Anda kendalikan sendiri.',
	'Open the app and choose "Create account" to make your own vault account.':
		'Buka aplikasi dan pilih "Create account" untuk membuat akun vault Anda sendiri.',
	'The admin page is at the app address followed by /admin; it asks for the ADMIN_TOKEN shown below.':
		'Halaman admin ada di alamat aplikasi diikuti /admin; halaman itu meminta ADMIN_TOKEN yang ditampilkan di bawah.',
	'Once your team has accounts, turn off "Allow new signups" in the admin page under General settings.':
		'Setelah tim Anda punya akun, matikan "Allow new signups" di halaman admin, pada bagian General settings.',
	'Opens the /admin page': 'Membuka halaman /admin',
	'1 user': '1 pengguna',
	'Up to 5 users': 'Hingga 5 pengguna',
	Organizations: 'Organisasi',
	'Up to 25 users': 'Hingga 25 pengguna',
	'Unlimited users': 'Pengguna tanpa batas',
	'A privacy-first note-taking service for quick thoughts and knowledge.':
		'Layanan pencatatan yang mengutamakan privasi, untuk ide singkat dan pengetahuan.',
	'Memos is an open-source, lightweight note-taking service. Capture ideas in Markdown, tag them, and share them publicly or keep them private.':
		'Memos adalah layanan pencatatan open-source yang ringan. Catat ide dalam Markdown, beri tag, lalu bagikan secara publik atau simpan sebagai privat.',
	'Open the app and sign up: the first account becomes the host (administrator) of this Memos.':
		'Buka aplikasi dan daftar: akun pertama menjadi host (administrator) Memos ini.',
	'As the host, turn off new sign-ups in Settings > System if the app is only for you.':
		'Sebagai host, matikan pendaftaran baru di Settings > System jika aplikasi hanya untuk Anda sendiri.',
	'Personal use': 'Penggunaan pribadi',
	'Up to 50 users': 'Hingga 50 pengguna',
	'Dashboards and alerts for your metrics, logs and databases.': 'Dasbor dan peringatan untuk metrik, log, dan basis data Anda.',
	'Grafana turns metrics from Prometheus, PostgreSQL, MySQL, InfluxDB and dozens of other sources into dashboards, with alerting to e-mail, Telegram and more.':
		'Grafana mengubah metrik dari Prometheus, PostgreSQL, MySQL, InfluxDB, dan puluhan sumber lainnya menjadi dasbor, dengan peringatan ke e-mail, Telegram, dan lainnya.',
	'Sign in as admin with the GF_SECURITY_ADMIN_PASSWORD shown below.':
		'Masuk sebagai admin dengan GF_SECURITY_ADMIN_PASSWORD yang ditampilkan di bawah.',
	'Add a data source under Connections > Data sources, then build or import a dashboard.':
		'Tambahkan sumber data di Connections > Data sources, lalu buat atau impor dasbor.',
	'Password of the admin user': 'Kata sandi pengguna admin',
	'3 dashboards': '3 dasbor',
	'Unlimited dashboards': 'Dasbor tanpa batas',
	Alerting: 'Peringatan',
	'Simple, privacy-friendly website analytics without cookies.':
		'Analitik situs web yang sederhana dan ramah privasi, tanpa cookie.',
	'Umami shows visitors, page views, referrers and events for your websites in one clean dashboard, without cookies and without sending data to anyone else.':
		'Umami menampilkan pengunjung, tayangan halaman, sumber rujukan, dan event situs web Anda dalam satu dasbor yang rapi, tanpa cookie dan tanpa mengirim data ke pihak lain.',
	'Sign in with the username admin and the password umami, then change the password at once under Settings > Profile.':
		'Masuk dengan nama pengguna admin dan kata sandi umami, lalu segera ganti kata sandinya di Settings > Profile.',
	'Add your website under Settings > Websites and paste its tracking code into your site.':
		'Tambahkan situs web Anda di Settings > Websites, lalu tempelkan kode pelacakannya ke situs Anda.',
	'PostgreSQL database included': 'Termasuk basis data PostgreSQL',
	'1 website': '1 situs web',
	'5 websites': '5 situs web',
	'Unlimited websites': 'Situs web tanpa batas',
	'Team chat with channels, threads, calls and integrations.': 'Chat tim dengan kanal, thread, panggilan, dan integrasi.',
	'Mattermost is an open-source Slack alternative: channels, direct messages, threads, file sharing, playbooks and hundreds of integrations, on a server you control.':
		'Mattermost adalah alternatif Slack yang open-source: kanal, pesan langsung, thread, berbagi file, playbook, dan ratusan integrasi, di server yang Anda kendalikan.',
	'Open the app and create the first account: it becomes the system administrator.':
		'Buka aplikasi dan buat akun pertama: akun itu menjadi administrator sistem.',
	'Create your team, then invite people from the team menu > Invite people.':
		'Buat tim Anda, lalu undang orang dari menu tim > Invite people.',
	'Up to 10 users': 'Hingga 10 pengguna',
	'Up to 250 users': 'Hingga 250 pengguna',
	'A modern wiki with a Markdown and visual editor.': 'Wiki modern dengan editor Markdown dan editor visual.',
	'Wiki.js is a powerful wiki for your team or community: Markdown and WYSIWYG editing, page history, search, fine-grained permissions and a clean reading view.':
		'Wiki.js adalah wiki yang andal untuk tim atau komunitas Anda: penyuntingan Markdown dan WYSIWYG, riwayat halaman, pencarian, izin akses yang terperinci, dan tampilan baca yang rapi.',
	'Open the app: the setup wizard asks for the administrator e-mail and password and the site URL (use the app address).':
		'Buka aplikasi: wizard penyiapan meminta e-mail dan kata sandi administrator serta URL situs (gunakan alamat aplikasi).',
	'Sign in and create your home page; set who may read and edit under Administration > Groups.':
		'Masuk dan buat halaman beranda Anda; atur siapa yang boleh membaca dan menyunting di Administration > Groups.',
	'SSO login': 'Login SSO',
	'A headless CMS and instant REST and GraphQL API for your data.':
		'Headless CMS serta API REST dan GraphQL instan untuk data Anda.',
	'Directus wraps a SQL database in a no-code data studio, with REST and GraphQL APIs, roles and permissions, file storage and automation flows.':
		'Directus membungkus basis data SQL dalam studio data tanpa kode (no-code), dengan API REST dan GraphQL, peran dan izin, penyimpanan file, serta alur otomasi.',
	'Sign in with admin@example.com and the ADMIN_PASSWORD shown below, then change both under your user profile.':
		'Masuk dengan admin@example.com dan ADMIN_PASSWORD yang ditampilkan di bawah, lalu ganti keduanya di profil pengguna Anda.',
	'Create your first collection in Settings > Data Model; its API is ready at once.':
		'Buat koleksi pertama Anda di Settings > Data Model; API-nya langsung siap dipakai.',
	'Password of the first administrator': 'Kata sandi administrator pertama',
	Flows: 'Otomasi dengan Flows',
	'A minimalist, fast RSS and Atom feed reader.': 'Pembaca feed RSS dan Atom yang minimalis dan cepat.',
	'Miniflux reads your RSS, Atom and JSON feeds in a distraction-free interface, with keyboard shortcuts, full-text fetching, integrations and a Fever/Google Reader API for mobile apps.':
		'Miniflux membaca feed RSS, Atom, dan JSON Anda dalam antarmuka yang bebas gangguan, dengan pintasan keyboard, pengambilan teks lengkap, integrasi, serta API Fever/Google Reader untuk aplikasi seluler.',
	'Sign in as admin with the ADMIN_PASSWORD shown below.': 'Masuk sebagai admin dengan ADMIN_PASSWORD yang ditampilkan di bawah.',
	'Add feeds under Feeds > Add subscription, or import an OPML file from your old reader.':
		'Tambahkan feed di Feeds > Add subscription, atau impor file OPML dari pembaca feed lama Anda.',
	'To-do lists, kanban boards and projects for you and your team.':
		'Daftar tugas, papan kanban, dan proyek untuk Anda dan tim Anda.',
	'Vikunja organises tasks in lists, kanban boards, Gantt charts and tables, with labels, reminders, sharing and CalDAV sync.':
		'Vikunja mengatur tugas dalam daftar, papan kanban, diagram Gantt, dan tabel, dengan label, pengingat, berbagi, dan sinkronisasi CalDAV.',
	'Open the app and register your account.': 'Buka aplikasi dan daftarkan akun Anda.',
	'If the app is only for your team, turn registration off: ask support to set VIKUNJA_SERVICE_ENABLEREGISTRATION to false.':
		'Jika aplikasi hanya untuk tim Anda, matikan pendaftaran: minta tim dukungan mengatur VIKUNJA_SERVICE_ENABLEREGISTRATION menjadi false.',
	'Envelope budgeting that keeps your finances private.': 'Penganggaran metode amplop yang menjaga keuangan Anda tetap privat.',
	'Actual is a fast, local-first personal finance app based on envelope budgeting, with bank import, rules, reports and sync across your devices.':
		'Actual adalah aplikasi keuangan pribadi yang cepat dan local-first, berbasis penganggaran metode amplop, dengan impor data bank, aturan, laporan, dan sinkronisasi antarperangkat.',
	'Open the app and set the server password: it protects every budget on this server.':
		'Buka aplikasi dan tetapkan kata sandi server: kata sandi ini melindungi setiap anggaran di server ini.',
	'Create a budget or import one from YNAB or another Actual file.':
		'Buat anggaran, atau impor dari YNAB atau dari file Actual lain.',
	'1 budget': '1 anggaran',
	'Unlimited budgets': 'Anggaran tanpa batas',
	'VS Code in the browser, on your own server.': 'VS Code di browser, di server Anda sendiri.',
	'code-server runs Visual Studio Code on a server so you can code from any browser, with extensions, a terminal and your files always in one place.':
		'code-server menjalankan Visual Studio Code di server sehingga Anda bisa menulis kode dari browser mana pun, dengan ekstensi, terminal, dan file Anda yang selalu ada di satu tempat.',
	'Open the app and enter the PASSWORD shown below.': 'Buka aplikasi dan masukkan PASSWORD yang ditampilkan di bawah.',
	'Your files live in /home/coder; clone a repository from the terminal (Ctrl+`).':
		'File Anda ada di /home/coder; clone repository dari terminal (Ctrl+`).',
	'Password of the editor': 'Kata sandi editor',
	'More CPU for builds': 'CPU lebih besar untuk build',
	'Community-run Git hosting: repositories, pull requests, issues and CI.':
		'Hosting Git yang dikelola komunitas: repository, pull request, issue, dan CI.',
	'Forgejo is a self-hosted software forge run by a non-profit community: Git repositories, code review, issues, wikis, packages and Actions.':
		'Forgejo adalah software forge yang di-host sendiri dan dikelola oleh komunitas nirlaba: repository Git, code review, issue, wiki, package, dan Actions.',
	'Open the app and choose Register: the first account becomes the site administrator.':
		'Buka aplikasi dan pilih Register: akun pertama menjadi administrator situs.',
	'Turn off open registration in Site Administration if the forge is only for your team.':
		'Matikan pendaftaran terbuka di Site Administration jika forge ini hanya untuk tim Anda.',
	'Collaborative Markdown notes, edited together in real time.':
		'Catatan Markdown kolaboratif, disunting bersama secara real time.',
	'HedgeDoc lets a team write Markdown together in the browser, with live preview, diagrams, slides mode and sharing links.':
		'HedgeDoc memungkinkan tim menulis Markdown bersama di browser, dengan pratinjau langsung, diagram, mode slide, dan tautan berbagi.',
	'Open the app and register with your e-mail and a password.': 'Buka aplikasi dan daftar dengan e-mail dan kata sandi Anda.',
	'Create a note with "New note"; share it with the Share button.':
		'Buat catatan dengan "New note"; bagikan dengan tombol Share.',
	'Send and receive push notifications through your own server.': 'Kirim dan terima notifikasi push melalui server Anda sendiri.',
	'Gotify is a simple server for push messages: send them from scripts and apps with one HTTP call and receive them on Android or in the browser.':
		'Gotify adalah server sederhana untuk pesan push: kirim dari skrip dan aplikasi dengan satu panggilan HTTP, lalu terima di Android atau di browser.',
	'Sign in as admin with the GOTIFY_DEFAULTUSER_PASS shown below.':
		'Masuk sebagai admin dengan GOTIFY_DEFAULTUSER_PASS yang ditampilkan di bawah.',
	'Create an application to get its token, then send messages with POST /message?token=<token>.':
		'Buat application untuk mendapatkan tokennya, lalu kirim pesan dengan POST /message?token=<token>.',
	'A web UI to run Ansible, Terraform and OpenTofu jobs.':
		'Antarmuka web untuk menjalankan job Ansible, Terraform, dan OpenTofu.',
	'Semaphore UI runs your Ansible playbooks and Terraform/OpenTofu code from a browser, with schedules, inventories, secrets and a history of every run.':
		'Semaphore UI menjalankan playbook Ansible dan kode Terraform/OpenTofu Anda dari browser, dengan jadwal, inventory, rahasia, dan riwayat setiap eksekusi.',
	'Sign in as admin with the SEMAPHORE_ADMIN_PASSWORD shown below.':
		'Masuk sebagai admin dengan SEMAPHORE_ADMIN_PASSWORD yang ditampilkan di bawah.',
	'Create a project, add a key store entry for your Git and SSH access, then a repository, an inventory and a task template.':
		'Buat proyek, tambahkan entri key store untuk akses Git dan SSH Anda, lalu sebuah repository, inventory, dan task template.',
	'Create, fill and sign documents online.': 'Buat, isi, dan tanda tangani dokumen secara online.',
	'DocuSeal is an open-source DocuSign alternative: build PDF forms, send them for signature, and keep an audit trail of every signing.':
		'DocuSeal adalah alternatif DocuSign yang open-source: buat formulir PDF, kirim untuk ditandatangani, dan simpan jejak audit setiap penandatanganan.',
	'Open the app: the setup page asks for your name, company, e-mail, password and the app URL (use the app address).':
		'Buka aplikasi: halaman penyiapan meminta nama, perusahaan, e-mail, kata sandi, dan URL aplikasi Anda (gunakan alamat aplikasi).',
	'Upload a PDF as a template, place the fields, then send it for signature.':
		'Unggah PDF sebagai templat, tempatkan kolom-kolomnya, lalu kirim untuk ditandatangani.',
	'The website and blog platform behind much of the web, with thousands of themes and plugins.':
		'Platform situs web dan blog yang menggerakkan sebagian besar web, dengan ribuan tema dan plugin.',
	'WordPress builds anything from a personal blog to a business website or an online shop. Pick a theme, add plugins, write in the block editor and publish; your site, media and database stay in your own app.':
		'WordPress dapat membangun apa saja, dari blog pribadi hingga situs web bisnis atau toko online. Pilih tema, tambahkan plugin, tulis di editor blok, lalu terbitkan; situs, media, dan basis data Anda tetap berada di aplikasi Anda sendiri.',
	'Open the app: the WordPress installer asks for the site title and your administrator account (the database is already set up).':
		'Buka aplikasi: installer WordPress meminta judul situs dan akun administrator Anda (basis data sudah disiapkan).',
	'Under Settings > General, check that the WordPress Address and Site Address are your app’s https address.':
		'Di Settings > General, pastikan WordPress Address dan Site Address berisi alamat https aplikasi Anda.',
	'MariaDB database included': 'Termasuk basis data MariaDB',
	'1 site': '1 situs',
	'Plugins and themes': 'Plugin dan tema',
	'For busy sites': 'Untuk situs yang ramai pengunjung',
	'Files, calendars and contacts in your own cloud, synced to every device.':
		'File, kalender, dan kontak di cloud Anda sendiri, tersinkron ke semua perangkat.',
	'Nextcloud keeps your files, photos, calendars and contacts on your own server and syncs them with desktop and mobile apps. Share folders with a link, edit together and add apps from its app store.':
		'Nextcloud menyimpan file, foto, kalender, dan kontak Anda di server Anda sendiri dan menyinkronkannya dengan aplikasi desktop dan seluler. Bagikan folder lewat tautan, sunting bersama, dan tambahkan aplikasi dari app store-nya.',
	'Open the app and create the administrator account in the installation wizard (the database is already set up).':
		'Buka aplikasi dan buat akun administrator di wizard instalasi (basis data sudah disiapkan).',
	'Install the desktop or mobile app and sign in with your app’s address to sync your files.':
		'Pasang aplikasi desktop atau seluler Nextcloud, lalu masuk dengan alamat aplikasi Anda untuk menyinkronkan file Anda.',
	'5 GB of files': 'Penyimpanan file 5 GB',
	'10 GB of files': 'Penyimpanan file 10 GB',
	'20 GB of files': 'Penyimpanan file 20 GB',
	'40 GB of files': 'Penyimpanan file 40 GB'
};
