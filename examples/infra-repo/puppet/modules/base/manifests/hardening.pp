class base::hardening {
  file { '/etc/ssh/sshd_config.d/50-hardening.conf':
    content => "PasswordAuthentication no\nPermitRootLogin no\n",
    mode    => '0644',
  }
}
