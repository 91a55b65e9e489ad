<?php
declare(strict_types=1);

namespace Mpe;

/** 4xx : enveloppes CMS, bi-clés. */
class ErreurChiffrement extends ErreurMpe
{
}
