# Postfix with SASL authentication at the upstream relay.
class postfix (
  String $relayhost = '[smtp.relay.example.net]:587',
) {
  package { 'postfix':
    ensure => installed,
  }

  $relay_creds = lab::secret('mail/relay-credentials')

  file { '/etc/postfix/sasl_passwd':
    content => $relay_creds,
    mode    => '0600',
    require => Package['postfix'],
    notify  => Service['postfix'],
  }

  service { 'postfix':
    ensure => running,
    enable => true,
  }
}
