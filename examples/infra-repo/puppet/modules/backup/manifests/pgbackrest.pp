# Continuous PostgreSQL backups to object storage.
class backup::pgbackrest (
  Enum['s3', 'posix'] $repo = 's3',
) {
  package { 'pgbackrest':
    ensure => installed,
  }

  file { '/etc/pgbackrest/s3.conf':
    content => lab::secret('backup/s3-credentials'),
    owner   => 'postgres',
    mode    => '0600',
    require => Package['pgbackrest'],
  }
}
