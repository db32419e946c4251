class grafana {
  package { 'grafana':
    ensure => installed,
  }

  $admin_password = lab::secret("grafana/admin-password")

  file { '/etc/grafana/admin.pass':
    content => $admin_password,
    mode    => '0600',
    require => Package['grafana'],
  }
}
